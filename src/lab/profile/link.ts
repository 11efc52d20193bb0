/**
 * The report's pointer to a run's profile (src/lab/report calls this): when the run directory
 * holds profile/profile.json (written by `ringkv profile`), a short Markdown section and an HTML
 * paragraph linking profile/index.html and profile/profile.md; otherwise null, and the report is
 * unchanged. Reads only that file; never throws.
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProfileSummary } from './summary.ts';

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
  return {
    markdown: `\n### Profile\n\nCPU profiles of every thread, flame graphs and the time per category (parsing, ring operations, command execution, reply encoding, socket I/O, GC) for ${(s.targets ?? []).map((t) => `\`${t.id}\``).join(' vs ')}: [profile/index.html](profile/index.html), [profile/profile.md](profile/profile.md) (${verdict}).\n`,
    html: `<section><h2>Profile</h2><p>CPU profiles of every thread, flame graphs and time per category for ${esc((s.targets ?? []).map((t) => t.id).join(' vs '))}: <a href="profile/index.html">profile/index.html</a>, <a href="profile/profile.md">profile/profile.md</a> (${esc(verdict)}).</p></section>`,
  };
}
