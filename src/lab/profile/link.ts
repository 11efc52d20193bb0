/**
 * The report's pointer to a run's profile (src/lab/report calls this): when the run directory
 * holds profile/profile.json (written by `ringkv profile`), a short section — the share of each
 * thread's CPU per category, every target side by side, and links to profile/index.html (flame
 * graphs) and profile/profile.md — in Markdown and HTML; otherwise null, and the report is
 * unchanged. Reads only that file; never throws.
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { categoryTable, type ProfileSummary } from './summary.ts';

export function profileLinks(runDir: string): { markdown: string; html: string } | null {
  const file = path.join(runDir, 'profile', 'profile.json');
  if (!existsSync(file)) return null;
  let s: ProfileSummary;
  try {
    s = JSON.parse(readFileSync(file, 'utf8')) as ProfileSummary;
  } catch {
    return null;
  }
  const failed = (s.checks ?? []).filter((c) => !c.pass).length;
  const verdict = `${(s.checks ?? []).length - failed} of ${(s.checks ?? []).length} profile checks pass`;
  const esc = (x: string): string => x.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  let rows: string[] = [];
  try {
    rows = categoryTable(s);
  } catch {
    // an older or partial profile.json: links only
  }
  const cells = (r: string): string[] => r.slice(1, -1).split(' | ').map((x) => x.trim().replace(/\*\*/g, ''));
  const table = rows.length < 2 ? '' : `<table><tr>${cells(rows[0]!).map((c) => `<th>${esc(c)}</th>`).join('')}</tr>${rows.slice(2).map((r) => `<tr>${cells(r).map((c, i) => `<td${i === 0 ? ' style="text-align:left"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;
  return {
    markdown: `\n### Profile\n\nCPU profiles of every thread, flame graphs and the time per category (parsing, ring operations, command execution, reply encoding, socket I/O, GC) for ${(s.targets ?? []).map((t) => `\`${t.id}\``).join(' vs ')}: [profile/index.html](profile/index.html), [profile/profile.md](profile/profile.md) (${verdict}).\n\nShare of each thread's CPU by category:\n\n${rows.join('\n')}\n`,
    html: `<section><h2>Profile</h2><p>CPU profiles of every thread, flame graphs and time per category for ${esc((s.targets ?? []).map((t) => t.id).join(' vs '))}: <a href="profile/index.html">profile/index.html</a>, <a href="profile/profile.md">profile/profile.md</a> (${esc(verdict)}).</p><p>Share of each thread’s CPU by category:</p>${table}</section>`,
  };
}
