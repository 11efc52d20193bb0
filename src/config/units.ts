/**
 * Byte sizes as redis.conf writes them (Redis's memtoull): a number with an optional
 * k/kb/m/mb/g/gb suffix, case-insensitive (k = 1000, kb = 1024). Shared by the option table
 * (config.ts) and the options with their own syntax (outputlimits.ts). Imports nothing.
 */

/** Redis's memtoull: a number with an optional k/kb/m/mb/g/gb suffix. NaN when invalid. */
export function parseBytes(s: string): number {
  const m = /^(-?\d+)(k|kb|m|mb|g|gb)?$/i.exec(s);
  if (m === null) return NaN;
  const units: Record<string, number> = { k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  const mul = m[2] === undefined ? 1 : units[m[2].toLowerCase()]!;
  return Number(m[1]) * mul;
}
