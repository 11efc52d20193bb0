/**
 * Typings for Node's latin1 fast paths: `Buffer.prototype.latin1Slice` and `latin1Write`.
 *
 * `buf.toString('latin1', s, e)` and `buf.write(str, off, len, 'latin1')` call these after
 * validating arguments and dispatching on the encoding name; on the per-command hot path that
 * wrapper cost about a tenth of the parse-and-execute time (measured with a CPU profile of the
 * in-process GET loop), so the parser and the writer call them directly. Both methods have been
 * on Buffer.prototype in every Node release; @types/node does not declare them.
 *
 * Imports nothing; declares types only.
 */

declare global {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    latin1Write(s: string, offset: number, length: number): number;
  }
}

export {};
