import { defineConfig } from 'vitest/config';

/**
 * Two projects: the whole suite against the single-threaded front-end, and the behaviour
 * suites (differential and integration) again against the threaded front-end
 * (RINGKV_TEST_IO_THREADS=4 makes test/helpers/servers.ts start ringkv with `--io-threads 4`: three I/O workers).
 * One behaviour suite, run in every I/O mode.
 */
export default defineConfig({
  test: {
    testTimeout: 30000,
    hookTimeout: 30000,
    // Servers under test are separate processes; files run in parallel workers.
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      { extends: true, test: { name: 'single', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'threaded',
          include: ['test/diff/**/*.test.ts', 'test/integration/**/*.test.ts'],
          env: { RINGKV_TEST_IO_THREADS: '4' },
        },
      },
    ],
  },
});
