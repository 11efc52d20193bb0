/**
 * `ringkv` — the benchmark lab's command line (bin/ringkv runs this file on the pinned Node):
 *
 *   ringkv bench   [--suite default|quick|<file>] [--targets …] [--reps N] [--host H --port P] [--taskset] [--out DIR]
 *   ringkv report  <run-dir|results.json> [--out DIR] | --compare <runA> <runB>
 *   ringkv profile [--workload cache] [--targets ringkv-1,ringkv-3-forced] [--duration S] [--clinic doctor,flame]
 *   ringkv gate    --ab <base-ref> [<head-ref>] [--icount] | --baseline <results.json> <run>   (exit 0 pass, 1 regression, 2 inconclusive, 3 error)
 *   ringkv help
 *
 * Each subcommand is one line of SUBCOMMANDS: a summary and a lazily imported entry
 * `(argv) => Promise<exit code>`, so one broken subcommand cannot break the others and adding
 * one is a one-line edit. The lab is a client: nothing here imports the server.
 */

type Entry = (argv: string[]) => Promise<number>;

const SUBCOMMANDS: Record<string, { summary: string; run: Entry }> = {
  bench: { summary: 'run a benchmark suite against started (or --host/--port) servers → results/<run-id>/results.json', run: async (a) => (await import('./bench/cli.ts')).benchMain(a) },
  report: { summary: 'write report.md and report.html from a run (or --compare two runs)', run: async (a) => (await import('./report/index.ts')).reportMain(a) },
  profile: { summary: 'profile ringkv single vs threaded under a scenario: CPU profiles per thread, flame graphs, categories → results/<run-id>/profile/', run: async (a) => (await import('./profile/index.ts')).profileMain(a) },
  gate: { summary: 'CI performance gate: --ab <base-ref> [<head-ref>] (interleaved A/B, --icount) or --baseline <results.json> <run>', run: async (a) => (await import('./gate/index.ts')).gateMain(a) },
};

function usage(): string {
  const names = Object.keys(SUBCOMMANDS);
  const w = Math.max(...names.map((n) => n.length));
  return ['usage: ringkv <command> [options]   (ringkv <command> --help for its options)', '', 'commands:',
    ...names.map((n) => `  ${n.padEnd(w)}  ${SUBCOMMANDS[n]!.summary}`)].join('\n');
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
  console.log(usage());
  process.exit(cmd === undefined ? 2 : 0);
}
const sub = SUBCOMMANDS[cmd];
if (sub === undefined) {
  console.error(`ringkv: unknown command "${cmd}"\n\n${usage()}`);
  process.exit(2);
}
process.exitCode = await sub.run(rest);
