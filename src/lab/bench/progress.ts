/**
 * The live progress display of `ringkv bench`: on a TTY one status line rewritten in place
 * (step k/n, what runs now, the last result, elapsed and estimated time left); otherwise
 * (CI logs, pipes) one plain line per finished step. Messages (`note`) always get their own line.
 * Writes to stderr, so stdout carries only the summary.
 */

export class Progress {
  private readonly out: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly t0 = performance.now();
  private total = 0;
  private done = 0;
  private current = '';
  private live = false;
  readonly quiet: boolean;

  constructor(opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}) {
    this.out = opts.stream ?? process.stderr;
    this.tty = this.out.isTTY === true && process.env.TERM !== 'dumb';
    this.quiet = opts.quiet ?? false;
  }

  setTotal(n: number): void {
    this.total = n;
  }

  private eta(): string {
    const el = (performance.now() - this.t0) / 1000;
    const fmt = (s: number): string => (s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`);
    if (this.done === 0 || this.total === 0) return fmt(el);
    return `${fmt(el)}, ~${fmt((el / this.done) * (this.total - this.done))} left`;
  }

  /** A step begins: shown live on a TTY. */
  start(what: string): void {
    this.current = what;
    if (this.quiet || !this.tty) return;
    this.draw(`[${this.done + 1}/${this.total}] ${what} …`);
  }

  /** The current step ended with this result. */
  finish(result: string): void {
    this.done++;
    if (this.quiet) return;
    const line = `[${this.done}/${this.total}] ${this.current}: ${result} (${this.eta()})`;
    if (this.tty) this.draw(line);
    else this.out.write(`${line}\n`);
  }

  /** A message on its own line (target absent, scenario skipped, warnings). */
  note(text: string): void {
    if (this.quiet) return;
    this.clear();
    this.out.write(`${text}\n`);
  }

  private draw(text: string): void {
    const width = (this.out.columns ?? 100) - 1;
    this.out.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.live = true;
  }

  /** Clears the live line (before printing anything else, and at the end). */
  clear(): void {
    if (this.live) this.out.write('\r\x1b[K');
    this.live = false;
  }
}
