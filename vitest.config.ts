import { defineConfig } from 'vitest/config';

/**
 * The slow ones: real Chromium, the soak, and tests that spawn the CLI, the built engine or
 * other processes. Everything else (unit tests, in-process integration tests) is the fast
 * project, the one to run while working: `npx vitest run --project fast`.
 */
const SLOW = [
  'test/e2e/**/*.test.ts',
  'test/integration/cli-*.test.ts',
  'test/integration/config-atomic.test.ts',
  'test/integration/electron-security.test.ts',
  'test/integration/engine-streaming.test.ts',
  'test/integration/hardening-files.test.ts',
  'test/integration/hardening-soak.test.ts',
  'test/integration/security-process.test.ts',
  'test/integration/trust-cli.test.ts',
  'test/integration/trust-nss.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    // Integration tests start real servers and child processes; 2-core CI is slow.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Child processes, not worker threads: tests spawn the CLI, bind ports and measure
    // memory, which is cleaner per process.
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: SLOW } },
      { extends: true, test: { name: 'slow', include: SLOW } },
    ],
  },
});
