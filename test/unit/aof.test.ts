/**
 * The AOF's pure parts: the manifest format (Redis 7.0's `file <name> seq <n> type <b|h|i>`
 * lines, quoting, errors) and the command reader's three endings (ok, truncated at the start
 * of the incomplete command, corrupt at the offending byte).
 */
import { expect, test } from 'vitest';
import { Manifest, ManifestError, readCommands } from '../../src/persistence/aof/index.ts';
import { encodeCommand } from '../../src/persistence/aof/base.ts';

test('a manifest as redis-server 7.0 writes it round-trips', () => {
  const text = 'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n';
  const m = Manifest.parse(text);
  expect(m.base).toEqual({ name: 'appendonly.aof.2.base.rdb', seq: 2, type: 'b' });
  expect(m.incrs.map((f) => f.seq)).toEqual([1, 2]);
  expect(m.incrSeq).toBe(2);
  expect(m.format()).toBe(text);
});

test('manifest: comments and history lines; names needing quotes are quoted and read back', () => {
  const m = Manifest.parse('# a comment\nfile a.1.base.aof seq 1 type b\nfile a.1.incr.aof seq 1 type h\nfile a.2.incr.aof seq 2 type i\n');
  expect(m.history.map((f) => f.name)).toEqual(['a.1.incr.aof']);
  m.incrs = [{ name: 'my file.3.incr.aof', seq: 3, type: 'i' }];
  const again = Manifest.parse(m.format());
  expect(m.format()).toContain('file "my file.3.incr.aof" seq 3 type i');
  expect(again.incrs[0]!.name).toBe('my file.3.incr.aof');
});

test('manifest errors say which line', () => {
  expect(() => Manifest.parse('file x seq 1 type q\n')).toThrow(ManifestError);
  expect(() => Manifest.parse('file x seq 1\n')).toThrow(/line 1/);
  expect(() => Manifest.parse('file a seq 1 type b\nfile b seq 2 type b\n')).toThrow(/duplicate base/);
  expect(() => Manifest.parse('file a seq 2 type i\nfile b seq 1 type i\n')).toThrow(/non-monotonic/);
  expect(() => Manifest.parse('# nothing\n')).toThrow(/empty/);
});

test('readCommands: complete commands, annotations, a torn tail, corrupt bytes', () => {
  const a = encodeCommand(['SET', 'k', 'v\r\nwith binary \x00\xff']);
  const b = encodeCommand(['DEL', 'k']);
  const buf = Buffer.from(`${a}#TS:123\r\n${b}`, 'latin1');
  const seen: string[][] = [];
  expect(readCommands(buf, 0, (argv) => seen.push(argv))).toEqual({ kind: 'ok' });
  expect(seen).toEqual([['SET', 'k', 'v\r\nwith binary \x00\xff'], ['DEL', 'k']]);
  const whole = Buffer.from(a + b, 'latin1');
  for (let cut = a.length + 1; cut < whole.length; cut++) {
    const n: string[][] = [];
    expect(readCommands(whole.subarray(0, cut), 0, (argv) => n.push(argv))).toEqual({ kind: 'truncated', at: a.length });
    expect(n).toHaveLength(1);
  }
  const bad = Buffer.from(`${a}garbage\r\n${b}`, 'latin1');
  expect(readCommands(bad, 0, () => {})).toMatchObject({ kind: 'corrupt', at: a.length });
  const badLen = Buffer.from('*2\r\n$3\r\nGET\r\n$x\r\n', 'latin1');
  expect(readCommands(badLen, 0, () => {})).toMatchObject({ kind: 'corrupt', at: 13 });
  const noCrlf = Buffer.from('*1\r\n$4\r\nPINGxx', 'latin1');
  expect(readCommands(noCrlf, 0, () => {})).toMatchObject({ kind: 'corrupt', at: 12 });
});
