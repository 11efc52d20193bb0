/**
 * results.json ("ringkv-bench/1"): the validator accepts the sample fixture, names the bad path
 * of wrong types, unknown fields and unknown schema ids, and readResults/writeResults validate on
 * both sides. Also the lab's summary statistics and the instability rule.
 */

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleResults } from '../../src/lab/results/sample.ts';
import { readResults, ResultsError, validateResults, writeResults } from '../../src/lab/results/schema.ts';
import { isUnstable, statOf } from '../../src/lab/results/stats.ts';

const mutate = (f: (r: any) => void): unknown => {
  const r = structuredClone(sampleResults()) as any;
  f(r);
  return r;
};

describe('results schema', () => {
  it('accepts the sample, with and without redis-server', () => {
    expect(() => validateResults(sampleResults())).not.toThrow();
    const r = sampleResults({ redis: false });
    validateResults(r);
    expect(r.targets.filter((t) => !t.available).map((t) => t.reason)).toEqual(['redis-server not found on PATH', 'redis-server not found on PATH']);
  });

  it('names the path of a wrong type', () => {
    expect(() => validateResults(mutate((r) => { r.cells[1].reps[0].latencyUs.p99 = '12'; })))
      .toThrow('cells[1].reps[0].latencyUs.p99: expected a finite number, got "12"');
    expect(() => validateResults(mutate((r) => { r.targets[0].kind = 'valkey'; })))
      .toThrow(/^targets\[0\]\.kind: expected one of "ringkv", "redis", "external"/);
    expect(() => validateResults(mutate((r) => { r.env.redisVersion = 7; }))).toThrow('env.redisVersion: expected a string, got 7');
    expect(() => validateResults(mutate((r) => { delete r.curves; }))).toThrow('curves: missing');
    expect(() => validateResults(mutate((r) => { r.cells[0].params.rate = null; }))).toThrow('cells[0].params.rate: expected a number, string or boolean');
  });

  it('rejects unknown schema ids, unknown fields and undeclared targets', () => {
    expect(() => validateResults(mutate((r) => { r.schema = 'ringkv-bench/2'; }))).toThrow(/unknown schema id "ringkv-bench\/2"/);
    expect(() => validateResults(mutate((r) => { r.cells[0].reps[0].server.gc = 1; }))).toThrow('cells[0].reps[0].server.gc: unknown field');
    expect(() => validateResults(mutate((r) => { r.cells[0].target = 'nope'; }))).toThrow('cells[0].target: "nope" is not a declared target id');
    expect(() => validateResults([])).toThrow(ResultsError);
  });

  it('validates on write and on read', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ringkv-results-'));
    const file = path.join(dir, 'run', 'results.json');
    writeResults(file, sampleResults());
    expect(readResults(file).suite).toBe('sample');
    expect(() => writeResults(file, mutate((r) => { r.cells[0].reps[0].errors = -1; }) as any)).toThrow('cells[0].reps[0].errors: expected an integer >= 0');
    const text = JSON.parse(readFileSync(file, 'utf8'));
    text.env.cores = 'two';
    writeFileSync(file, JSON.stringify(text));
    expect(() => readResults(file)).toThrow(`${file}: env.cores: expected an integer >= 0, got "two"`);
  });

  it('summarises repetitions: median, spread, CV, 95% CI; CV > 10% is unstable', () => {
    const s = statOf([100, 110, 90]);
    expect(s.median).toBe(100);
    expect([s.min, s.max]).toEqual([90, 110]);
    expect(s.cv).toBeCloseTo(0.1, 6);
    expect(s.ci95[0]).toBeCloseTo(100 - 4.303 * 10 / Math.sqrt(3), 3);
    expect(isUnstable(s)).toBe(false);
    expect(isUnstable(statOf([100, 120, 80]))).toBe(true);
    expect(isUnstable(statOf([100]))).toBe(false);
    expect(sampleResults({ jitter: 0.3 }).cells.every((c) => c.summary.unstable)).toBe(true);
    expect(sampleResults().cells.some((c) => c.summary.unstable)).toBe(false);
  });
});
