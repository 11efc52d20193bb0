/**
 * `ringkv report` — the command-line entry of the report:
 *
 *   ringkv report <run-dir | results.json> [--out <dir>]
 *       writes report.md and report.html next to results.json (or into --out) and prints their paths
 *   ringkv report --compare <runA> <runB> [--out <dir>]
 *       prints the per-cell differences (B relative to A) as Markdown and writes compare.md and
 *       compare.json into --out (default: runB's directory)
 *
 * Exit codes: 0 written; 3 usage error or unreadable/invalid results.json (as `ringkv gate`).
 */

import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readResults } from '../results/schema.ts';
import { analyse } from './analysis.ts';
import { compareMarkdown, compareRuns } from './compare.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { profileLinks } from '../profile/link.ts';

export const USAGE = `usage: ringkv report <run-dir|results.json> [--out <dir>]
       ringkv report --compare <runA> <runB> [--out <dir>]`;

/** A run directory or a results.json path → the results.json path. */
export function resultsPath(p: string): string {
  return existsSync(p) && statSync(p).isDirectory() ? path.join(p, 'results.json') : p;
}

export interface ReportFiles {
  markdown: string;
  html: string;
}

/** Reads, validates, and writes report.md and report.html into `outDir` (default: beside results.json). */
export function writeReport(run: string, outDir?: string): ReportFiles {
  const file = resultsPath(run);
  const analysis = analyse(readResults(file));
  const dir = outDir ?? path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const files = { markdown: path.join(dir, 'report.md'), html: path.join(dir, 'report.html') };
  // A run made by `ringkv profile` links its profile (src/lab/profile/link.ts); others are unchanged.
  const prof = profileLinks(path.dirname(file));
  writeFileSync(files.markdown, renderMarkdown(analysis) + (prof?.markdown ?? ''));
  writeFileSync(files.html, prof === null ? renderHtml(analysis) : renderHtml(analysis).replace('\n</body>', `\n${prof.html}\n</body>`));
  return files;
}

export async function reportMain(argv: string[]): Promise<number> {
  let out: string | undefined;
  let compare = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') out = argv[++i];
    else if (a === '--compare') compare = true;
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      console.error(`ringkv report: unknown option ${a}\n${USAGE}`);
      return 3;
    } else rest.push(a);
  }
  try {
    if (compare) {
      if (rest.length !== 2) {
        console.error(USAGE);
        return 3;
      }
      const a = readResults(resultsPath(rest[0]!));
      const b = readResults(resultsPath(rest[1]!));
      const cmp = compareRuns(a, b);
      const md = compareMarkdown(cmp);
      const dir = out ?? path.dirname(resultsPath(rest[1]!));
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'compare.md'), md);
      writeFileSync(path.join(dir, 'compare.json'), `${JSON.stringify(cmp, null, 2)}\n`);
      console.log(md);
      console.log(`wrote ${path.join(dir, 'compare.md')} and compare.json`);
      return 0;
    }
    if (rest.length !== 1) {
      console.error(USAGE);
      return 3;
    }
    const files = writeReport(rest[0]!, out);
    console.log(`wrote ${files.markdown}\nwrote ${files.html}`);
    return 0;
  } catch (err) {
    console.error(`ringkv report: ${(err as Error).message}`);
    return 3;
  }
}
