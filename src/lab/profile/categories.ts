/**
 * Where a CPU-profile sample's time went: each sample's stack is put in one named category by
 * the rules below, so a thread's time reads as "parsing 18%, ring operations 9%, …".
 *
 * How a stack is classified (`categorise(stack)`, stack = leaf first):
 *   1. The leaf's pseudo-frames, which V8 names itself:
 *        (idle)                 → idle: the thread waits in the event loop (epoll); not CPU time
 *        (garbage collector)    → gc
 *        (program), (root)      → socket: native code outside any JS function. In a ringkv
 *                                 thread that is libuv: the read() of each socket before its
 *                                 data reaches JS (onStreamRead), the poll loop's bookkeeping,
 *                                 and timers' native side, so it is booked with socket I/O.
 *   2. Otherwise the innermost frame (walking from the leaf towards the root) that matches a rule
 *      of RULES decides. Innermost wins, so a Buffer method called by the parser is parsing, and a
 *      socket write called from the worker's reply loop is socket I/O. Frames of Node's own
 *      libraries without a rule (node:buffer, node:internal/util …) are skipped, so they count
 *      for the code of ours that called them.
 *   3. A stack with no matching frame falls to the catch-all rules of FALLBACK (event loop,
 *      timers, microtasks, module loading): still named.
 *   4. Nothing matched: other (the unattributed share the report shows; it should stay < 10%).
 *
 * CPU time of a thread = everything except idle. The rules match the callFrame's URL (file://…
 * for our sources, node:… for Node's libraries, empty for native builtins) and function name.
 */

export const CATEGORIES = [
  'parsing',
  'ring',
  'execution',
  'reply',
  'socket',
  'frontend',
  'gc',
  'runtime',
  'startup',
  'other',
  'idle',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** What each category holds, for the report's legend. */
export const CATEGORY_LABELS: Record<Category, string> = {
  parsing: 'parsing (RESP request parser, preflight)',
  ring: 'ring operations (rings, frames, batches, bells)',
  execution: 'command execution (engine, commands, store)',
  reply: 'reply encoding (ReplyWriter)',
  socket: 'socket syscalls / libuv I/O (net, stream writes and reads; native (program) time)',
  frontend: 'front-end dispatch (connection glue in io/single, io/threaded)',
  gc: 'garbage collection',
  runtime: 'Node runtime (timers, microtasks, callbacks)',
  startup: 'startup (module loading, type stripping)',
  other: 'other (unattributed)',
  idle: 'idle (waiting in the event loop)',
};

/** Categories that are CPU time but not one of the named ones. */
export const UNNAMED: ReadonlySet<Category> = new Set(['other', 'idle']);

export interface Frame {
  functionName: string;
  url: string;
}

interface Rule {
  cat: Category;
  url?: RegExp;
  fn?: RegExp;
}

/**
 * Ordered: the first rule that matches a frame gives its category. Paths are matched on the
 * URL's tail so the rules hold in any checkout.
 */
const RULES: readonly Rule[] = [
  // Ours.
  { cat: 'parsing', url: /\/src\/protocol\/(parser|preflight|inline)\.ts$/ },
  { cat: 'reply', url: /\/src\/protocol\/(writer|encode\w*|resp\w*)\.ts$/ },
  { cat: 'ring', url: /\/src\/io\/threaded\/(ring|frames|batch|protocol)\.ts$/ },
  { cat: 'execution', url: /\/src\/(engine|commands|store|config|persistence)\// },
  { cat: 'frontend', url: /\/src\/io\// },
  { cat: 'frontend', url: /\/src\/server\// },
  { cat: 'runtime', url: /\/src\/lib\// },
  // Node's socket and stream layer, and the native bindings it ends in.
  { cat: 'socket', url: /^node:(net|internal\/stream_base_commons|internal\/streams\/|stream$|internal\/net)/ },
  { cat: 'socket', url: /^$/, fn: /^(writev|writeBuffer|writeLatin1String|writeUtf8String|writeAsciiString|writeUcs2String|readStart|readStop|shutdown|onStreamRead|close|afterWriteDispatched)$/ },
  { cat: 'gc', fn: /^\(garbage collector\)$/ },
];

/** Stacks none of whose frames matched RULES. */
const FALLBACK: readonly Rule[] = [
  { cat: 'startup', url: /^node:internal\/(modules|bootstrap|main|deps\/amaro|process\/pre_execution|source_map|vm)|^node:internal\/deps\/cjs-module-lexer/ },
  { cat: 'startup', url: /amaro|\/dist\/index\.js$/ },
  { cat: 'startup', fn: /^(compileSourceTextModule|compileForInternalLoader|compileFunction|wasm-function\[\d+\]|__require|Module|require)$/ },
  { cat: 'startup', url: /^wasm:/ },
  { cat: 'runtime', url: /^node:(internal\/(timers|process\/task_queues|async_hooks|event_target|perf\/|worker|per_context|util|errors|validators|priority_queue|fixed_queue|linkedlist)|timers|events|internal\/abort_controller|perf_hooks|worker_threads)/ },
  { cat: 'runtime', url: /^node:/ },
  { cat: 'runtime', fn: /^(processTicksAndRejections|runMicrotasks|listOnTimeout|processTimers|emit|nextTick)$/ },
  { cat: 'runtime', url: /^$/ },
];

function matches(r: Rule, f: Frame): boolean {
  return (r.url === undefined || r.url.test(f.url)) && (r.fn === undefined || r.fn.test(f.functionName));
}

/** The category of a stack (leaf first). */
export function categorise(stack: readonly Frame[]): Category {
  const leaf = stack[0];
  if (leaf === undefined) return 'other';
  switch (leaf.functionName) {
    case '(idle)': return 'idle';
    case '(garbage collector)': return 'gc';
    case '(program)': case '(root)': return 'socket';
  }
  for (const f of stack) {
    for (const r of RULES) if (matches(r, f)) return r.cat;
  }
  for (const f of stack) {
    for (const r of FALLBACK) if (matches(r, f)) return r.cat;
  }
  return 'other';
}
