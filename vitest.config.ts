import { defineConfig } from 'vitest/config';

/**
 * Tests that compare latencies measured in the same run: they run after the others, one file
 * at a time, so another test file's load cannot pass for the behaviour under test.
 */
const TIMING = ['test/webhooks/fairness.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/setup/global-setup.ts'],
    setupFiles: ['test/setup/shared-process-guard.ts'],
    pool: 'forks',
    // A worker runs its files one after another in one process, loading the server's modules
    // (MikroORM, Express, Baileys, …) once instead of once per file: that import was half of the
    // suite's time. Files must leave the process as they found it; the setup file above checks.
    isolate: false,
    unstubEnvs: true,
    // Most files wait on Postgres, child processes or a browser, not on a core: two at a time
    // (vitest's default on a 2-core machine is one) cuts the suite's wall time by about a quarter.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: 'test' },
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: TIMING } },
      {
        extends: true,
        test: { name: 'timing', include: TIMING, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
