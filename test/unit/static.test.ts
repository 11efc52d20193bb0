/**
 * Static checks as tests, so CI counts them: the TypeScript compiler finds no error, and the
 * module layering of ../shared/STYLE.md holds (dependency-cruiser, .dependency-cruiser.cjs).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from '../helpers/servers.ts';

function run(bin: string, args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync(path.join(ROOT, 'node_modules/.bin', bin), args, { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, out };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, out: `${e.stdout}${e.stderr}` };
  }
}

test('tsc --noEmit finds no type error', () => {
  const r = run('tsc', ['--noEmit', '-p', '.']);
  expect(r.out).toBe('');
  expect(r.code).toBe(0);
}, 120000);

test('module layering holds (depcruise)', () => {
  const r = run('depcruise', ['src', '--config', '.dependency-cruiser.cjs']);
  expect(r.code, r.out).toBe(0);
  expect(r.out).toMatch(/no dependency violations found/);
}, 60000);
