import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * Browser end-to-end tests: the built renderer in Debian's Chromium, talking to the real core
 * through the test bridge (test/e2e/bridge). Run with `npm run test:e2e` (which builds first and
 * provides a real keychain). Never downloads a browser.
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  // Traces of failed tests go outside the working tree (printed by the reporter), in a folder of
  // this run's own: Playwright empties outputDir when a run starts, so two runs on one machine
  // (two checkouts, two people) sharing a folder delete each other's traces mid-run. Set once
  // here in the runner; its workers inherit it.
  outputDir: (process.env.CHRONOKEY_E2E_OUTPUT ??= path.join(
    os.tmpdir(),
    `chronokey-e2e-results-${process.pid}`,
  )),
  fullyParallel: true,
  // Budgets for a busy 2-core machine (CI runners, a laptop building at the same time): each
  // test does one thing and takes 2–15 s alone; under full CPU load the slowest took about 3×
  // that. The budgets leave room for that and still stop a hung test within two minutes.
  // No retries: a retry would hide a flaky test instead of showing it.
  workers: 2,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: '.test-results/e2e.json' }]],
  forbidOnly: !!process.env.CI,
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 960, height: 720 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
  },
});
