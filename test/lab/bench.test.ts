/**
 * `ringkv bench` end to end, against real servers it starts itself:
 * - the quick suite runs through bin/ringkv and writes a results.json that validates, with a cell
 *   per target and generator, per-thread server CPU with the main thread named, the interleaved
 *   order, and every harness scenario (head-of-line, pub/sub fan-out, web sessions, curve);
 * - with redis-server off PATH, its targets are listed as not run with the reason (results and
 *   summary), not dropped;
 * - the pure parts: interleaving order, knee, redis-benchmark output parsing, unstable flag.
 * No timing assertions: the machine is shared; only structure and counts are checked.
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRedisBenchmark } from '../../src/lab/bench/redis-benchmark.ts';
import { kneeOf, rotation, schedule } from '../../src/lab/bench/runner.ts';
import { parseTargetId } from '../../src/lab/bench/targets.ts';
import { sampleResults } from '../../src/lab/results/sample.ts';
import { readResults, type Results } from '../../src/lab/results/schema.ts';
import { isUnstable, statOf } from '../../src/lab/results/stats.ts';
import { requireRedis, ROOT } from '../helpers/servers.ts';
import { judge } from '../../scripts/bench-repeatability.ts';

async function ringkv(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; out: string; err: string }> {
  const p = spawn(path.join(ROOT, 'bin/ringkv'), args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  p.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const [code] = (await once(p, 'exit')) as [number];
  return { code, out, err };
}

describe('interleaving and summaries (pure)', () => {
  it('rotates targets per repetition: A B C, B C A, C A B', () => {
    expect([0, 1, 2, 3].map((r) => rotation(['A', 'B', 'C'], r).join(''))).toEqual(['ABC', 'BCA', 'CAB', 'ABC']);
    const s = schedule([['A', 'B'], ['A', 'B', 'C']], 2);
    expect(s.map((x) => `${x.rep}:${x.cell}:${x.target}`)).toEqual([
      '0:0:A', '0:0:B', '0:1:A', '0:1:B', '0:1:C',
      '1:0:B', '1:0:A', '1:1:B', '1:1:C', '1:1:A',
    ]);
  });

  it('flags a cell unstable when its throughput CV exceeds 10%', () => {
    expect(isUnstable(statOf([50000, 51000, 49000]))).toBe(false);
    expect(isUnstable(statOf([50000, 65000, 40000]))).toBe(true);
    expect(statOf([50000, 65000, 40000]).median).toBe(50000);
  });

  it('finds the knee: the highest rate whose p99 is within the bound', () => {
    const pt = (rate: number, p99: number) => ({ rate, throughput: rate, latencyUs: { p50: 1, p99, p999: p99 }, histogram: '' });
    expect(kneeOf([pt(100, 500), pt(200, 900), pt(300, 5000)], 1000)).toEqual({ rate: 200, throughput: 200 });
    expect(kneeOf([pt(100, 5000)], 1000)).toBeNull();
  });

  it('repeatability: a median moving by more than its spread fails unless the cell is flagged unstable', () => {
    const same = judge(sampleResults(), sampleResults());
    expect(same.verdicts.length).toBeGreaterThan(0);
    expect(same.verdicts.every((v) => v.verdict === 'ok')).toBe(true);
    const moved = judge(sampleResults(), sampleResults({ scale: { 'ringkv-1': 0.5 } }));
    expect(moved.verdicts.filter((v) => v.verdict === 'FAIL').map((v) => v.cell.split(' ')[0])).toEqual(['ringkv-1', 'ringkv-1']);
    const noisy = judge(sampleResults({ jitter: 0.3 }), sampleResults({ jitter: 0.3, scale: { 'ringkv-1': 0.5 } }));
    expect(noisy.verdicts.some((v) => v.verdict === 'FAIL')).toBe(false);
    expect(noisy.verdicts.some((v) => v.verdict === 'flagged')).toBe(true);
  });

  it('parses target ids', () => {
    expect(parseTargetId('ringkv-2-forced').args).toEqual(['--io-threads', '2', '--io-threads-force', 'yes']);
    expect(parseTargetId('ringkv-2').label).toBe('ringkv io-threads 2 (adaptive)');
    expect(parseTargetId('redis-2').args).toEqual(['--io-threads', '2', '--io-threads-do-reads', 'yes']);
    expect(() => parseTargetId('redis-1-forced')).toThrow(/ringkv mode/);
    expect(() => parseTargetId('valkey-1')).toThrow(/unknown target/);
  });

  it("parses redis-benchmark's output, interpolating p90 and p99.9", () => {
    const out = `====== GET ======
  20000 requests completed in 0.34 seconds
  50 parallel clients

Latency by percentile distribution:
0.000% <= 0.151 milliseconds (cumulative count 5)
50.000% <= 0.495 milliseconds (cumulative count 10318)
87.500% <= 0.679 milliseconds (cumulative count 17545)
93.750% <= 0.719 milliseconds (cumulative count 18887)
99.805% <= 4.431 milliseconds (cumulative count 19961)
99.902% <= 4.463 milliseconds (cumulative count 19981)
100.000% <= 9.367 milliseconds (cumulative count 20000)

Summary:
  throughput summary: 59347.18 requests per second
  latency summary (msec):
          avg       min       p50       p95       p99       max
        0.547     0.144     0.495     0.727     3.463     9.367
`;
    const r = parseRedisBenchmark(out);
    expect(r.throughput).toBe(59347.18);
    expect(r.requests).toBe(20000);
    expect(r.latencyUs.p50).toBeCloseTo(495, 6);
    expect(r.latencyUs.p99).toBeCloseTo(3463, 6);
    expect(r.latencyUs.max).toBeCloseTo(9367, 6);
    expect(r.latencyUs.p90).toBeCloseTo(679 + (719 - 679) * (90 - 87.5) / (93.75 - 87.5), 3);
    expect(r.latencyUs.p999).toBeGreaterThan(4431);
    expect(r.latencyUs.p999).toBeLessThanOrEqual(4463);
  });
});

describe('ringkv bench, end to end', () => {
  const withRedis = requireRedis();
  const temps: string[] = [];
  const tempDir = (prefix: string): string => {
    const d = mkdtempSync(path.join(os.tmpdir(), prefix));
    temps.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  });

  it('runs the quick suite against real targets and writes a results.json that validates', async () => {
    const dir = tempDir('ringkv-bench-quick-');
    const r = await ringkv(['bench', '--suite', 'quick', '--out', dir, '--quiet']);
    expect(r.err).not.toMatch(/error|fail|warn/i);
    expect(r.code).toBe(0);
    const res: Results = readResults(path.join(dir, 'results.json'));
    expect(res.suite).toBe('quick');
    expect(res.env.cores).toBe(os.availableParallelism());
    expect(res.env.ringkvCommit).toMatch(/^[0-9a-f]{40}$/);
    const ids = res.targets.filter((t) => t.available).map((t) => t.id);
    expect(ids).toEqual(withRedis ? ['ringkv-1', 'ringkv-2', 'redis-1'] : ['ringkv-1', 'ringkv-2']);

    // One cell per (workload, target), each with the suite's 2 repetitions, no errors.
    for (const workload of ['set', 'cache']) {
      for (const id of ids) {
        const c = res.cells.find((x) => x.workload === workload && x.target === id);
        expect(c, `${workload} × ${id}`).toBeDefined();
        expect(c!.reps).toHaveLength(2);
        for (const rep of c!.reps) {
          expect(rep.errors).toBe(0);
          expect(rep.throughput).toBeGreaterThan(0);
          const main = rep.server.threads.filter((t) => t.role === 'main');
          expect(main).toHaveLength(1);
          expect(main[0]!.name).toBe(id.startsWith('redis') ? 'redis-server' : 'node-MainThread');
          expect(rep.server.rssBytes).toBeGreaterThan(0);
        }
        if (workload === 'cache') expect(c!.reps[0]!.histogram).toMatch(/^HISTF/);
        expect(c!.summary.unstable).toBe(c!.summary.throughput.cv > 0.1);
      }
    }
    // ringkv io-threads 2 has its I/O worker, named and classified.
    const t2 = res.cells.find((x) => x.target === 'ringkv-2')!.reps[0]!.server.threads;
    expect(t2.filter((t) => t.role === 'io').map((t) => t.name)).toEqual(['io-thread-1']);

    // Interleaved: repetition 2 of each cell starts with the second target of repetition 1.
    const orderOf = (workload: string, id: string, rep: number): number =>
      res.cells.find((x) => x.workload === workload && x.target === id)!.reps[rep]!.order;
    const firstOfRep = (rep: number): string => ids.reduce((a, b) => (orderOf('set', a, rep) < orderOf('set', b, rep) ? a : b));
    expect(firstOfRep(0)).toBe(ids[0]);
    expect(firstOfRep(1)).toBe(ids[1]);
    expect(orderOf('cache', ids[0]!, 0)).toBeLessThan(orderOf('set', ids[0]!, 1)); // repetition-major

    // The harness's scenarios.
    const hol = (res.scenarios.headOfLine as any).byTarget['ringkv-1'];
    expect(hol.keyCount).toBe(50000);
    expect(hol.keys.blockerCalls).toBeGreaterThan(0);
    expect(hol.scan.blockerCalls).toBeGreaterThan(0);
    expect(hol.baseline.getErrors + hol.keys.getErrors + hol.scan.getErrors).toBe(0);
    for (const [id, p] of Object.entries((res.scenarios.pubsubFanout as any).byTarget) as Array<[string, any]>) {
      expect(p.error, id).toBeUndefined();
      expect(p.subscribers).toBe(20);
      expect(p.delivered).toBe(p.expected);
      expect(p.expected).toBe(p.published * 20);
    }
    const web = (res.scenarios.webSessions as any).byTarget['ringkv-1'];
    expect(web.requests).toBeGreaterThan(0);
    expect(web.errors + web.non2xx).toBe(0);
    expect(res.curves).toHaveLength(1);
    expect(res.curves[0]!.points.map((p) => p.rate)).toHaveLength(2);

    expect(r.out).toContain('ringkv io-threads 1');
    expect(r.out).toContain(`results: `);
  }, 150_000);

  it('reports an absent redis-server instead of dropping it', async () => {
    // A PATH with what the harness needs, and no redis-server / redis-benchmark.
    const bin = tempDir('ringkv-nopath-');
    for (const tool of ['dirname', 'git', 'getconf']) {
      for (const d of ['/usr/bin', '/bin', '/usr/local/bin']) {
        try {
          symlinkSync(path.join(d, tool), path.join(bin, tool));
          break;
        } catch {
          // not there, or already linked
        }
      }
    }
    const dir = tempDir('ringkv-bench-noredis-');
    mkdirSync(dir, { recursive: true });
    const suite = path.join(dir, 'suite.json');
    writeFileSync(suite, JSON.stringify({
      name: 'noredis', description: 'test', reps: 1, targets: ['ringkv-1', 'redis-1', 'redis-2'],
      cells: [
        { workload: 'set', generator: 'redis-benchmark', params: { connections: 5, pipeline: 1, valueSize: 16, keyspace: 100, requests: 1000 } },
        { workload: 'get', generator: 'builtin', params: { connections: 5, pipeline: 1, valueSize: 16, keyspace: 100, durationMs: 300, warmupMs: 50 } },
      ],
    }));
    const r = await ringkv(['bench', '--suite', suite, '--out', path.join(dir, 'out'), '--quiet'], { ...process.env, PATH: bin });
    expect(r.err).not.toMatch(/error|fail|warn/i);
    expect(r.code).toBe(0);
    const res = readResults(path.join(dir, 'out', 'results.json'));
    expect(res.env.redisVersion).toBeNull();
    expect(res.targets.map((t) => [t.id, t.available, t.reason ?? null])).toEqual([
      ['ringkv-1', true, null],
      ['redis-1', false, 'redis-server not found on PATH'],
      ['redis-2', false, 'redis-server not found on PATH'],
    ]);
    expect(res.cells.map((c) => `${c.workload}/${c.target}`)).toEqual(['get/ringkv-1']);
    expect(res.env.notes).toContain('redis-benchmark cells skipped: redis-benchmark not found on PATH');
    expect(r.out).toContain('not run: redis-server io-threads 1 — redis-server not found on PATH');
    expect(r.out).toContain('not run: redis-server io-threads 2 — redis-server not found on PATH');
    expect(JSON.parse(readFileSync(path.join(dir, 'out', 'results.json'), 'utf8')).schema).toBe('ringkv-bench/1');
  }, 60_000);
});
