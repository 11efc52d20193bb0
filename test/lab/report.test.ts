/**
 * `ringkv report` on the synthetic results fixture (test/lab/fixture.ts):
 *   - report.md holds one table row per cell with its median, and findings with ratio intervals;
 *   - report.html opens in headless Chromium (Debian `chromium`, driven by playwright-core) with
 *     no console errors and no network request, and its charts hold the numbers of
 *     results.json: throughput bars and error bars, percentile points (recomputed here from the
 *     histograms), knee markers, CPU segments, RSS bars; a screenshot goes to
 *     test-results/report.png;
 *   - `ringkv report --compare` finds a throughput change planted in a second run;
 *   - the statistics behind the ratios (bootstrap, Mann–Whitney) on known cases.
 * Without /usr/bin/chromium the browser test is skipped, except under CI where it fails
 * (.ci/run installs the package).
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as hdr from 'hdr-histogram-js';
import { analyse } from '../../src/lab/report/analysis.ts';
import { compareRuns } from '../../src/lab/report/compare.ts';
import { cellCurve } from '../../src/lab/report/hdr.ts';
import { writeReport } from '../../src/lab/report/index.ts';
import { bootstrapRatio, bootstrapRatioPaired, mannWhitney } from '../../src/lab/report/stats.ts';
import { writeResults, type Results } from '../../src/lab/results/schema.ts';
import { makeResults } from './fixture.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIR = path.join(ROOT, 'test-results', `report-test-${process.pid}`);
const CHROMIUM = '/usr/bin/chromium';
let results: Results;
let files: { markdown: string; html: string };

beforeAll(() => {
  results = makeResults(7);
  writeResults(path.join(DIR, 'run1', 'results.json'), results);
  files = writeReport(path.join(DIR, 'run1'));
});

afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe('statistics', () => {
  it('bootstrap ratio of medians: point estimate, interval around it, deterministic', () => {
    const a = [100, 102, 98, 101, 99];
    const b = a.map((x) => x * 1.2);
    const r = bootstrapRatio(a, b);
    expect(r.ratio).toBeCloseTo(1.2, 10);
    expect(r.lo).toBeLessThanOrEqual(r.ratio);
    expect(r.hi).toBeGreaterThanOrEqual(r.ratio);
    expect(r.lo).toBeGreaterThan(1.1);
    expect(bootstrapRatio(a, b)).toEqual(r);
    // Paired: a common drift per pair cancels, so the interval is tighter than unpaired.
    const drift = [1, 1.3, 0.8, 1.1, 0.9, 1.25, 0.85];
    const pa = drift.map((d) => 100 * d);
    const pb = drift.map((d) => 105 * d);
    const paired = bootstrapRatioPaired(pa, pb);
    const unpaired = bootstrapRatio(pa, pb);
    expect(paired.hi - paired.lo).toBeLessThan(unpaired.hi - unpaired.lo);
    expect(paired.lo).toBeCloseTo(1.05, 6);
  });

  it('Mann–Whitney: exact p for separated samples, 1 for identical ones', () => {
    const m = mannWhitney([1, 2, 3], [4, 5, 6]);
    expect(m.u).toBe(9);
    expect(m.exact).toBe(true);
    expect(m.p).toBeCloseTo(0.1, 10); // 2 × 1/C(6,3)
    expect(mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).p).toBeCloseTo(2 / 252, 10);
    expect(mannWhitney([5, 5, 5], [5, 5, 5]).p).toBe(1);
  });
});

describe('report.md', () => {
  it('has a row per cell with its median and findings with intervals', () => {
    const md = readFileSync(files.markdown, 'utf8');
    const a = analyse(results);
    for (const c of a.cells) {
      const row = md.split('\n').find((l) => l.startsWith(`| ${c.targetLabel} |`) && md.indexOf(l) > md.indexOf(`### ${c.cell.workload}`));
      expect(row, `${c.cell.workload} ${c.targetLabel}`).toBeDefined();
    }
    expect(md).toMatch(/ringkv threaded is \d\.\d\d× \(95% CI \d\.\d\d–\d\.\d\d\) ringkv single/);
    expect(md).toContain('so it is the limit');
    expect(md).toMatch(/leaderboard \/ ringkv single is \*\*unstable\*\*/);
    expect(md).toContain('redis-server io-threads 2 was not run');
    expect(md).toContain('the knee');
  });
});

describe('report --compare', () => {
  it('finds a planted 30% throughput drop and no change in the untouched cells', () => {
    const b = makeResults(8, { throughputScale: { 'ringkv-3': 0.7 }, runId: 'b' });
    const cmp = compareRuns(results, b);
    expect(cmp.hardwareDiffers).toEqual([]);
    for (const d of cmp.cells) {
      if (d.target === 'ringkv-3') {
        expect(d.direction, d.key).toBe('worse');
        expect(d.throughput.hi).toBeLessThan(0.85);
      } else if (!(d.workload === 'leaderboard' && d.target === 'ringkv-1')) {
        // (ringkv-1 leaderboard is the fixture's deliberately unstable cell)
        expect(d.throughput.lo, d.key).toBeLessThan(1.1);
        expect(d.throughput.hi, d.key).toBeGreaterThan(0.9);
      }
    }
  });
});

describe('report.html in headless Chromium', () => {
  const have = existsSync(CHROMIUM);
  if (!have && process.env.CI) it('needs chromium under CI', () => expect.fail(`${CHROMIUM} missing (apt-get install chromium)`));

  it.skipIf(!have)('opens without console errors or network requests, and its charts hold the results', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url()); });
      await page.goto(`file://${files.html}`);
      await page.waitForLoadState('load');

      const a = analyse(results);
      // Throughput bars and error bars.
      const bars = await page.$$eval('#throughput rect.bar', (els) => els.map((e) => ({ ...(e as unknown as { dataset: Record<string, string> }).dataset })));
      expect(bars).toHaveLength(a.cells.length);
      for (const c of a.cells) {
        const bar = bars.find((b) => b.cell === c.key);
        expect(bar, c.key).toBeDefined();
        expect(Number(bar!.value)).toBe(c.cell.summary.throughput.median);
        expect(Number(bar!.hi)).toBe(c.cell.summary.throughput.ci95[1]);
        expect(Number(bar!.lo)).toBe(Math.max(0, c.cell.summary.throughput.ci95[0]));
      }
      expect(await page.locator('#throughput g.errorbar').count()).toBe(a.cells.length);
      expect(await page.locator('#throughput circle.dot').count()).toBe(a.cells.reduce((n, c) => n + c.cell.reps.length, 0));

      // Percentile points: p99 of the merged histograms, recomputed here independently.
      for (const c of a.cells) {
        const pts = await page.$$eval(`#latency-${c.cell.workload} circle.point`, (els, key) =>
          els.map((e) => ({ ...(e as unknown as { dataset: Record<string, string> }).dataset })).filter((d) => d.cell === key), c.key);
        const p99 = pts.find((p) => Number(p.percentile) === 99);
        expect(p99, c.key).toBeDefined();
        if (c.cell.reps[0]!.histogram !== null) {
          const merged = hdr.build({ autoResize: true });
          for (const r of c.cell.reps) merged.add(hdr.decodeFromCompressedBase64(r.histogram!));
          expect(Number(p99!.latency)).toBe(merged.getValueAtPercentile(99));
          expect(p99!.source).toBe('histogram');
        } else {
          expect(p99!.source).toBe('summary');
          expect(Number(p99!.latency)).toBe(cellCurve(c.cell).points.find((p) => p.percentile === 99)!.valueUs);
        }
      }

      // Curves and knees.
      for (const cv of results.curves) {
        const knee = await page.$$eval(`#curve-${cv.workload} g.marker`, (els, t) => els.map((e) => ({ ...(e as unknown as { dataset: Record<string, string> }).dataset })).filter((d) => d.target === t), cv.target);
        expect(knee).toHaveLength(1);
        expect(Number(knee[0]!.rate)).toBe(cv.knee!.rate);
        const pts = await page.$$eval(`#curve-${cv.workload} circle.point`, (els, t) => els.map((e) => ({ ...(e as unknown as { dataset: Record<string, string> }).dataset })).filter((d) => d.target === t), cv.target);
        expect(pts.map((p) => Number(p.p99))).toEqual(cv.points.map((p) => p.latencyUs.p99));
      }

      // CPU segments and memory.
      const segs = await page.$$eval('#cpu rect.segment', (els) => els.map((e) => ({ ...(e as unknown as { dataset: Record<string, string> }).dataset })));
      for (const c of a.cells) {
        const main = segs.find((s) => s.cell === c.key && s.part === 'executor / main');
        const busy = c.cell.reps.map((r) => r.server.threads.filter((t) => t.role === 'main').reduce((x, t) => x + t.cpuMs, 0) / r.durationMs).sort((x, y) => x - y);
        expect(Number(main!.value)).toBeCloseTo(busy[busy.length >> 1]!, 12);
      }
      const rss = await page.$$eval('#memory rect.bar', (els) => els.map((e) => ({ ...(e as unknown as { dataset: Record<string, string> }).dataset })));
      for (const c of a.cells) {
        const sorted = c.cell.reps.map((r) => r.server.rssBytes).sort((x, y) => x - y);
        expect(Number(rss.find((r) => r.cell === c.key)!.bytes)).toBe(sorted[sorted.length >> 1]);
      }
      expect(await page.locator('#env').innerText()).toContain(results.env.cpuModel);

      mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
      await page.screenshot({ path: path.join(ROOT, 'test-results', 'report.png'), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('ringkv report CLI', () => {
  it('writes both files for a run directory and exits 3 on an invalid results.json', () => {
    const node = path.join(ROOT, 'node_modules/.bin/node');
    const ok = spawnSync(node, [path.join(ROOT, 'src/lab/cli.ts'), 'report', path.join(DIR, 'run1'), '--out', path.join(DIR, 'cli')], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(existsSync(path.join(DIR, 'cli', 'report.html'))).toBe(true);
    expect(readFileSync(path.join(DIR, 'cli', 'report.md'), 'utf8')).toContain('### cache');
    const bad = spawnSync(node, [path.join(ROOT, 'src/lab/cli.ts'), 'report', path.join(DIR, 'nothing-here')], { encoding: 'utf8' });
    expect(bad.status).toBe(3);
  });
});
