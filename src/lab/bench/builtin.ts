/**
 * The built-in generator as the harness sees it: `runLoad` from src/lab/loadgen (the load
 * generator's own module, whose LoadOptions/LoadResult types are the contract), loaded lazily so
 * the harness still runs its redis-benchmark cells and scenarios when the built-in generator is
 * broken — those cells are then skipped and the reason recorded in the results' notes.
 */

import type { LoadOptions, LoadResult } from '../loadgen/index.ts';

export type { LoadOptions, LoadResult };
export type RunLoad = (opts: LoadOptions) => Promise<LoadResult>;

let loaded: Promise<{ runLoad: RunLoad | null; reason: string }> | null = null;

/** The built-in generator's runLoad, or null with the reason it could not be loaded. */
export function builtinGenerator(): Promise<{ runLoad: RunLoad | null; reason: string }> {
  loaded ??= (async () => {
    try {
      const m = await import('../loadgen/index.ts');
      return { runLoad: m.runLoad, reason: '' };
    } catch (err) {
      return { runLoad: null, reason: `built-in generator unavailable (src/lab/loadgen: ${(err as Error).message.split('\n')[0]})` };
    }
  })();
  return loaded;
}
