/**
 * The module layering of ../shared/STYLE.md, held by a linter (`npm run lint`):
 *
 *   protocol, store, config, lib   import nothing of ours (lib: leaf utilities such as the log)
 *   commands     → store, protocol, config, lib
 *   engine       → commands, store, protocol, config, lib   (never io, never server)
 *   io/single    → protocol, engine, config, lib
 *   io/threaded  → protocol, engine, config, lib; its worker side: protocol + rings only
 *   persistence  → store, protocol, config, lib   (RDB/AOF; the server wires it to the engine's hooks)
 *   lab          → protocol, lib   (bench, load generator, reports, gate, profiling: clients only)
 *   server       → everything (the composition root)
 *
 * plus no import cycles anywhere.
 */
const leaf = (name) => ({
  name: `${name}-is-a-leaf`,
  comment: `src/${name} imports nothing of ours`,
  severity: 'error',
  from: { path: `^src/${name}/` },
  to: { path: '^src/', pathNot: `^src/${name}/` },
});

module.exports = {
  forbidden: [
    leaf('protocol'),
    leaf('store'),
    leaf('config'),
    leaf('lib'),
    {
      name: 'commands-layer',
      comment: 'commands may use store, protocol, config and lib only',
      severity: 'error',
      from: { path: '^src/commands/' },
      to: { path: '^src/(engine|io|server|persistence)/' },
    },
    {
      name: 'engine-never-imports-io',
      comment: 'the executor must not know which front-end it serves',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/(io|server)/' },
    },
    {
      name: 'io-not-server',
      severity: 'error',
      from: { path: '^src/io/' },
      to: { path: '^src/(server|commands|store)/' },
    },
    {
      name: 'io-modes-independent',
      comment: 'front-ends are interchangeable: neither imports the other',
      severity: 'error',
      from: { path: '^src/io/single/' },
      to: { path: '^src/io/threaded/' },
    },
    {
      name: 'threaded-worker-is-thin',
      comment: 'an I/O worker loads protocol and ring code only, never the engine',
      severity: 'error',
      from: { path: '^src/io/threaded/worker' },
      to: { path: '^src/(engine|commands|store|persistence|server)/' },
    },
    {
      name: 'persistence-layer',
      comment: 'RDB/AOF code sees the store and protocol; the server wires it to the engine',
      severity: 'error',
      from: { path: '^src/persistence/' },
      to: { path: '^src/(engine|io|server|commands|lab)/' },
    },
    {
      name: 'lab-is-a-client',
      comment: 'the benchmark lab talks to servers over TCP like any client; it never links the server',
      severity: 'error',
      from: { path: '^src/lab/' },
      to: { path: '^src/(engine|io|server|commands|store|persistence)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-not-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
