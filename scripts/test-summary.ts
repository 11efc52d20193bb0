/**
 * Prints the plain closing line CI reads, `N passed, N failed`, from vitest's JSON report.
 * A missing or unreadable report counts as one failure (the run did not complete).
 */
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
try {
  const r = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  process.exit(r.numFailedTests > 0 ? 1 : 0);
} catch (err) {
  console.error(`no test report at ${file}: ${(err as Error).message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
