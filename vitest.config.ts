import { defineConfig } from 'vitest/config';

// Tests run under Node with the Node build of better-sqlite3. The browser test drives Debian's
// Chromium against web mode and is slower, so it gets a longer timeout. Temporary files of a run
// live in one folder that is removed when the run ends (test/helpers/temp-root.ts).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/temp-root.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
