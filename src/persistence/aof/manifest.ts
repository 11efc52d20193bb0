/**
 * The Redis 7 multi-part AOF manifest: which files make up the append-only file, in order.
 *
 * Layout (checked against redis-server 7.0.15): inside `<dir>/<appenddirname>/`
 *
 *     <appendfilename>.<seq>.base.rdb   the base: an RDB image (aof-use-rdb-preamble yes)
 *     <appendfilename>.<seq>.base.aof   … or commands (aof-use-rdb-preamble no)
 *     <appendfilename>.<seq>.incr.aof   commands appended after the base, oldest first
 *     <appendfilename>.manifest         one line per file:  file <name> seq <n> type <b|h|i>
 *
 * Type b is the base (at most one), i an incremental file, h a history file (replaced by a
 * rewrite, waiting to be deleted). Lines starting with '#' are comments. Redis writes the base
 * line first, then history, then the incr files in order; so do we.
 *
 * Imports nothing of ours.
 */

export type AofFileType = 'b' | 'h' | 'i';

export interface AofFileInfo {
  readonly name: string;
  readonly seq: number;
  readonly type: AofFileType;
}

export class ManifestError extends Error {}

export class Manifest {
  base: AofFileInfo | null = null;
  incrs: AofFileInfo[] = [];
  history: AofFileInfo[] = [];

  /** The highest sequence numbers seen, which new files continue from. */
  get baseSeq(): number {
    return this.base?.seq ?? 0;
  }

  get incrSeq(): number {
    let n = 0;
    for (const f of this.incrs) n = Math.max(n, f.seq);
    return n;
  }

  clone(): Manifest {
    const m = new Manifest();
    m.base = this.base;
    m.incrs = [...this.incrs];
    m.history = [...this.history];
    return m;
  }

  /** The manifest file's text. */
  format(): string {
    let out = '';
    const line = (f: AofFileInfo): void => {
      out += `file ${quoteName(f.name)} seq ${f.seq} type ${f.type}\n`;
    };
    if (this.base !== null) line(this.base);
    for (const f of this.history) line(f);
    for (const f of this.incrs) line(f);
    return out;
  }

  /** Parses a manifest's text; throws ManifestError saying which line is wrong and why. */
  static parse(text: string): Manifest {
    const m = new Manifest();
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!.replace(/\r$/, '');
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const args = splitArgs(line);
      if (args === null || args.length % 2 !== 0) throw new ManifestError(`Invalid AOF manifest file format (line ${i + 1}: '${raw}')`);
      let name: string | undefined;
      let seq: number | undefined;
      let type: string | undefined;
      for (let j = 0; j < args.length; j += 2) {
        const k = args[j]!;
        const v = args[j + 1]!;
        if (k === 'file') name = v;
        else if (k === 'seq') seq = /^\d+$/.test(v) ? Number(v) : NaN;
        else if (k === 'type') type = v;
        // Unknown keys are skipped, as Redis does, for forward compatibility.
      }
      if (name === undefined || seq === undefined || !Number.isSafeInteger(seq) || (type !== 'b' && type !== 'h' && type !== 'i')) {
        throw new ManifestError(`Invalid AOF manifest file format (line ${i + 1}: '${raw}')`);
      }
      if (name.includes('/')) throw new ManifestError(`Invalid AOF manifest file format (line ${i + 1}: file name is a path)`);
      const f: AofFileInfo = { name, seq, type };
      if (type === 'b') {
        if (m.base !== null) throw new ManifestError(`Found duplicate base file information (line ${i + 1})`);
        m.base = f;
      } else if (type === 'h') {
        m.history.push(f);
      } else {
        if (m.incrs.length > 0 && seq <= m.incrs[m.incrs.length - 1]!.seq) {
          throw new ManifestError(`Found a non-monotonic sequence number (line ${i + 1})`);
        }
        m.incrs.push(f);
      }
    }
    if (m.base === null && m.incrs.length === 0) throw new ManifestError('Found an empty AOF manifest');
    return m;
  }
}

/** Redis's sdscatrepr for a name that needs it (blanks, quotes, control bytes); else as is. */
function quoteName(name: string): string {
  if (!/[\s"'\\\x00-\x1f\x7f-\xff]/.test(name)) return name;
  let out = '"';
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 32 || c > 126) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Splits a manifest line as Redis's sdssplitargs: blanks separate, "double" quotes group. */
function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    let cur = '';
    if (line[i] === '"') {
      i++;
      let closed = false;
      while (i < line.length) {
        const ch = line[i]!;
        if (ch === '\\' && i + 1 < line.length) {
          const e = line[i + 1]!;
          if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
            cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e;
          i += 2;
          continue;
        }
        if (ch === '"') {
          closed = true;
          i++;
          break;
        }
        cur += ch;
        i++;
      }
      if (!closed) return null;
    } else {
      while (i < line.length && !/\s/.test(line[i]!)) cur += line[i++];
    }
    out.push(cur);
  }
  return out;
}
