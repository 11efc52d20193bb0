/**
 * The built-in generator as the harness sees it: `runLoad` from src/lab/loadgen (the load
 * generator's own module), loaded lazily so the harness still runs its redis-benchmark cells and
 * scenarios when the built-in generator is absent or broken — those cells are then skipped and
 * the reason recorded in the results' notes.
 *
 * LoadOptions/LoadResult here restate the lab contract's shapes (the loadgen module is the truth
 * at run time; the harness uses only the contract's fields).
 */

export interface LoadOptions {
  host: string;
  port: number;
  workload: string;
  connections: number;
  threads: number;
  pipeline: number;
  durationMs: number;
  warmupMs: number;
  rate?: number;
  keyspace: number;
  keyDist: 'uniform' | 'zipf' | 'sequential';
  zipfS?: number;
  valueSize: number;
  preload?: boolean;
  seed: number;
  /** taskset CPU list for the generator's threads, when the generator supports it (ignored otherwise). */
  cpus?: string;
}

export interface LoadResult {
  requests: number;
  errors: number;
  durationMs: number;
  throughput: number;
  latencyUs: { mean: number; p50: number; p90: number; p99: number; p999: number; max: number };
  histogram: string;
  client: { cpuMs: number; threads: number; utilisation: number; bound: boolean };
  perCommand?: Record<string, { requests: number; errors: number }>;
}

export type RunLoad = (opts: LoadOptions) => Promise<LoadResult>;

let loaded: Promise<{ runLoad: RunLoad | null; reason: string }> | null = null;

/** The built-in generator's runLoad, or null with the reason it could not be loaded. */
export function builtinGenerator(): Promise<{ runLoad: RunLoad | null; reason: string }> {
  loaded ??= (async () => {
    // A computed specifier: the harness must typecheck and run before (or without) the loadgen module.
    const spec = '../loadgen/index.ts';
    try {
      const m = (await import(spec)) as { runLoad?: RunLoad };
      if (typeof m.runLoad !== 'function') return { runLoad: null, reason: 'src/lab/loadgen/index.ts exports no runLoad' };
      return { runLoad: m.runLoad, reason: '' };
    } catch (err) {
      return { runLoad: null, reason: `built-in generator unavailable (src/lab/loadgen: ${(err as Error).message.split('\n')[0]})` };
    }
  })();
  return loaded;
}
