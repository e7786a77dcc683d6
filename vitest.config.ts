import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Integration tests start real servers and child processes; 2-core CI is slow.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Child processes, not worker threads: tests spawn the CLI, bind ports and measure
    // memory, which is cleaner per process.
    pool: 'forks',
  },
});
