/**
 * The server log, in redis-server's line format: `pid:role dd Mon yyyy hh:mm:ss.mmm <c> text`,
 * where <c> is '.' debug, '-' verbose, '*' notice, '#' warning. `role` is 'M' on the main
 * thread and 'T' on I/O threads.
 *
 * Imports nothing of ours; any layer may log.
 */

import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning' | 'nothing';

const RANK: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const MARK: Record<Exclude<LogLevel, 'nothing'>, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

export class Logger {
  level: LogLevel = 'notice';
  /** Empty: standard output. */
  file = '';
  role = 'M';

  log(level: Exclude<LogLevel, 'nothing'>, text: string): void {
    if (RANK[level] < RANK[this.level]) return;
    const d = new Date();
    const stamp = `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
    const line = `${process.pid}:${this.role} ${stamp} ${MARK[level]} ${text}\n`;
    if (this.file === '') process.stdout.write(line);
    else appendFileSync(this.file, line);
  }

  debug(text: string): void { this.log('debug', text); }
  verbose(text: string): void { this.log('verbose', text); }
  notice(text: string): void { this.log('notice', text); }
  warning(text: string): void { this.log('warning', text); }
}

export const log = new Logger();
