/**
 * Seeded randomness for tests: mulberry32, so a "random" script or input is the same on every
 * run and a failure can be replayed.
 */

/** Floats in [0, 1) from `seed`. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integers in [0, n) from `seed` (the same sequence as floor(seeded(seed)() * n)). */
export function seededInt(seed: number): (n: number) => number {
  const next = seeded(seed);
  return (n: number) => Math.floor(next() * n);
}
