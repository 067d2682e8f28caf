import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * The real app in the real Electron: launch, first run, add, copy, lock (test/electron). Run with
 * `npm run test:electron`, which builds first. Where the Electron binary is not installed every
 * test is skipped and the reason is printed. On a Linux machine without a display, run it under
 * `xvfb-run -a`.
 */
export default defineConfig({
  testDir: 'test/electron',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/electron/global-setup.ts',
  // A folder of this run's own (see playwright.config.ts), inherited by the workers.
  outputDir: (process.env.CHRONOKEY_ELECTRON_OUTPUT ??= path.join(
    os.tmpdir(),
    `chronokey-electron-results-${process.pid}`,
  )),
  // One app at a time: the app holds a single-instance lock per data folder.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: '.test-results/electron.json' }]],
  forbidOnly: !!process.env.CI,
  use: { trace: 'retain-on-failure' },
});
