/**
 * The gate's decision logic and outputs, without servers:
 *   - decide(): pass / regression / inconclusive on constructed samples for both metric
 *     directions, the MIN_REPS guard, exact (instruction) metrics, the `wide` pass;
 *   - overall() and the exit codes;
 *   - Markdown, JUnit XML (well-formed: counts of failures/skipped), GitHub annotations;
 *   - `ringkv gate --baseline`: a run against itself passes, a run with a planted 30% drop
 *     regresses exactly the planted cells, different hardware is refused (exit 3) unless
 *     --allow-different-hardware; argument and gate.config.json parsing.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGateArgs, rulesOf, runBaselineGate, abChecks } from '../../src/lab/gate/index.ts';
import { toAnnotations, toJUnit, toMarkdown, type GateReport } from '../../src/lab/gate/output.ts';
import { decide, DEFAULT_RULES, EXIT, overall } from '../../src/lab/gate/verdict.ts';
import type { Sample } from '../../src/lab/gate/ab.ts';
import { writeResults } from '../../src/lab/results/schema.ts';
import { makeResults } from './fixture.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIR = path.join(ROOT, 'test-results', `gate-test-${process.pid}`);
const tput = DEFAULT_RULES.throughput!;
const p99 = DEFAULT_RULES.p99!;

beforeAll(() => {
  writeResults(path.join(DIR, 'a', 'results.json'), makeResults(7));
  writeResults(path.join(DIR, 'a2', 'results.json'), makeResults(9, { runId: 'a2' }));
  writeResults(path.join(DIR, 'slow', 'results.json'), makeResults(8, { throughputScale: { 'ringkv-3': 0.7 }, runId: 'slow' }));
  const other = makeResults(7, { runId: 'other-hw' });
  other.env.cpuModel = 'Another CPU';
  writeResults(path.join(DIR, 'other', 'results.json'), other);
});
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe('decide', () => {
  const base = [100, 101, 99, 100.5, 99.5];
  it('passes an unchanged metric, and an improvement', () => {
    expect(decide('t', tput, base, base.map((x) => x * 1.001)).verdict).toBe('pass');
    expect(decide('t', tput, base, base.map((x) => x * 1.3)).verdict).toBe('pass');
    expect(decide('l', p99, base, base.map((x) => x * 0.7)).verdict).toBe('pass');
  });
  it('calls a regression when the whole interval is beyond the threshold, in both directions', () => {
    const t = decide('t', tput, base, base.map((x) => x * 0.8));
    expect(t.verdict).toBe('regression');
    expect(t.change.est).toBeCloseTo(0.2, 6);
    expect(t.change.lo).toBeGreaterThan(0.05);
    const l = decide('l', p99, base, base.map((x) => x * 1.5));
    expect(l.verdict).toBe('regression');
  });
  it('is inconclusive when the estimate is beyond the threshold but the interval is not', () => {
    const noisyBase = [100, 60, 140, 90, 110];
    const noisyHead = [92, 55, 130, 80, 104];
    const c = decide('t', tput, noisyBase, noisyHead);
    expect(c.change.est).toBeGreaterThan(0.05);
    expect(c.change.lo).toBeLessThanOrEqual(0.05);
    expect(c.verdict).toBe('inconclusive');
  });
  it('marks a pass whose interval reaches beyond the threshold as wide', () => {
    const c = decide('t', tput, [100, 60, 140, 90, 110], [100, 60, 140, 90, 110]);
    expect(c.verdict).toBe('pass');
    expect(c.wide).toBe(true);
  });
  it('never calls a regression from fewer than three repetitions of a noisy metric', () => {
    expect(decide('t', tput, [100, 100], [50, 50]).verdict).toBe('inconclusive');
  });
  it('exact metrics: one value a side, zero-width interval, 1% threshold', () => {
    const ins = DEFAULT_RULES.instructions!;
    expect(decide('i', ins, [1_000_000], [1_005_000]).verdict).toBe('pass');
    const r = decide('i', ins, [1_000_000], [1_020_000]);
    expect(r.verdict).toBe('regression');
    expect(r.change.lo).toBe(r.change.hi);
  });
  it('overall and exit codes', () => {
    const pass = decide('a', tput, base, base);
    const reg = decide('b', tput, base, base.map((x) => x / 2));
    const inc = decide('c', tput, [100, 60, 140, 90, 110], [92, 55, 130, 80, 104]);
    expect(overall([pass])).toBe('pass');
    expect(overall([pass, inc])).toBe('inconclusive');
    expect(overall([inc, reg, pass])).toBe('regression');
    expect(EXIT).toEqual({ pass: 0, regression: 1, inconclusive: 2, error: 3 });
  });
  it('A/B checks pair repetitions by rep number', () => {
    const samples: Sample[] = [];
    for (let rep = 0; rep < 5; rep++) {
      const drift = 1 + 0.3 * Math.sin(rep);
      samples.push({ side: 'base', rep, order: 2 * rep, test: 'get', throughput: 100 * drift, p50Us: 100, p99Us: 200 * drift, cpuUsPerOp: 10, errors: 0 });
      samples.push({ side: 'head', rep, order: 2 * rep + 1, test: 'get', throughput: 80 * drift, p50Us: 100, p99Us: 200 * drift, cpuUsPerOp: 12.5, errors: 0 });
    }
    const checks = abChecks(samples.reverse(), ['get'], rulesOf({ throughput: 5, p99: 10, cpu: 5 }));
    expect(checks.map((c) => [c.name, c.verdict])).toEqual([['GET throughput', 'regression'], ['GET p99', 'pass'], ['GET cpu', 'regression']]);
  });
});

function reportOf(checks: ReturnType<typeof decide>[]): GateReport {
  return {
    tool: 'ringkv-gate/1', mode: 'ab', verdict: overall(checks), base: { ref: 'main', commit: 'a'.repeat(40) }, head: { ref: 'feature', commit: 'b'.repeat(40) },
    attempts: 1, checks, settings: {}, env: { cpuModel: 'cpu', cores: 2, node: 'v26', loadavg: [0, 0, 0] }, notes: ['a note'], startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z',
  };
}

describe('outputs', () => {
  const base = [100, 101, 99, 100.5, 99.5];
  const r = reportOf([
    decide('GET throughput', tput, base, base.map((x) => x * 0.8)),
    decide('GET p99', p99, [100, 60, 140, 90, 110], [115, 70, 160, 100, 125]),
    decide('SET throughput', tput, base, base),
  ]);
  it('Markdown names the verdict and every check', () => {
    const md = toMarkdown(r);
    expect(md).toContain('❌ regression');
    for (const c of r.checks) expect(md).toContain(`| ${c.name} |`);
    expect(md).toMatch(/-20% \(95% CI -2\d?\.?\d*% … -1\d\.?\d*%\)/);
  });
  it('JUnit XML: a failure per regression, skipped per inconclusive', () => {
    const x = toJUnit(r);
    expect(x).toMatch(/^<\?xml version="1.0"/);
    expect(x).toContain('tests="3" failures="1" skipped="1"');
    expect((x.match(/<testcase /g) ?? []).length).toBe(3);
    expect((x.match(/<failure /g) ?? []).length).toBe(1);
    expect((x.match(/<\/testcase>/g) ?? []).length).toBe(3);
    expect(x.trim().endsWith('</testsuites>')).toBe(true);
  });
  it('GitHub annotations: ::error for the regression, ::warning for the inconclusive check', () => {
    const lines = toAnnotations(r);
    expect(lines.filter((l) => l.startsWith('::error ')).length).toBe(1);
    expect(lines.some((l) => l.startsWith('::warning ') && l.includes('GET p99'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^::notice title=ringkv gate::regression/);
    for (const l of lines) expect(l).not.toMatch(/\n/);
  });
});

describe('ringkv gate --baseline', () => {
  const args = (extra: string[]): string[] => ['--baseline', path.join(DIR, 'a'), ...extra, '--out', path.join(DIR, 'out'), '--quiet'];
  it('a run against another run of the same code passes; a planted 30% drop regresses exactly its cells', () => {
    const same = runBaselineGate(parseGateArgs(args([path.join(DIR, 'a2')]), DIR));
    expect(same.checks.filter((c) => c.verdict === 'regression').map((c) => c.name)).toEqual([]);
    const slow = runBaselineGate(parseGateArgs(args([path.join(DIR, 'slow')]), DIR));
    expect(slow.verdict).toBe('regression');
    const regressed = slow.checks.filter((c) => c.verdict === 'regression').map((c) => c.name);
    expect(regressed.sort()).toEqual(['cache / ringkv-3 throughput', 'leaderboard / ringkv-3 throughput']);
  });
  it('refuses different hardware unless told (CLI exit 3), and reads gate.config.json thresholds', () => {
    const node = path.join(ROOT, 'node_modules/.bin/node');
    const cli = path.join(ROOT, 'src/lab/cli.ts');
    const refused = spawnSync(node, [cli, 'gate', ...args([path.join(DIR, 'other')])], { encoding: 'utf8', cwd: DIR });
    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain('different hardware');
    const allowed = spawnSync(node, [cli, 'gate', ...args([path.join(DIR, 'other'), '--allow-different-hardware'])], { encoding: 'utf8', cwd: DIR });
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('Different hardware, compared on request');
    expect(JSON.parse(readFileSync(path.join(DIR, 'out', 'gate.json'), 'utf8')).verdict).toBe('pass');
    const slow = spawnSync(node, [cli, 'gate', ...args([path.join(DIR, 'slow')])], { encoding: 'utf8', cwd: DIR });
    expect(slow.status).toBe(1);

    mkdirSync(path.join(DIR, 'cfg'), { recursive: true });
    writeFileSync(path.join(DIR, 'cfg', 'gate.config.json'), JSON.stringify({ thresholds: { throughput: 40, p99: 'off', p50: 20 }, ab: { reps: 7, tests: ['get'] } }));
    const parsed = parseGateArgs(['--ab', 'main'], path.join(DIR, 'cfg'));
    expect(rulesOf(parsed.thresholds).map((x) => [x.metric, x.threshold])).toEqual([['throughput', 0.4], ['p50', 0.2], ['cpu', 0.05], ['instructions', 0.01]]);
    expect(parsed.ab_.reps).toBe(7);
    expect(parsed.ab).toEqual(['main', '.']);
    const viaConfig = spawnSync(node, [cli, 'gate', ...args([path.join(DIR, 'slow')])], { encoding: 'utf8', cwd: path.join(DIR, 'cfg') });
    expect(viaConfig.status, viaConfig.stdout).toBe(0);
    expect(() => parseGateArgs(['--ab'], DIR)).toThrow(/wants a value/);
    expect(() => parseGateArgs(['--baseline', 'x'], DIR)).toThrow(/current run/);
    expect(() => parseGateArgs(['--ab', 'x', '--threshold', 'speed=3'], DIR)).toThrow(/unknown metric/);
  });
});
