#!/usr/bin/env node
// `npm run screenshots`: the only run that updates the committed pictures in
// test/e2e/screenshots/ (for reviewers and the README). Every other run writes its screenshots
// to .test-results/screenshots/ (git-ignored), so running the tests leaves the checkout clean.
// Runs the browser suite, or the spec files given (npm run screenshots -- test/e2e/screens.spec.ts).
import { spawn } from 'node:child_process';

const child = spawn(
  process.platform === 'win32' ? 'npx.cmd' : 'npx',
  ['playwright', 'test', '-c', 'playwright.config.ts', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    shell: process.platform === 'win32',
    env: { ...process.env, CHRONOKEY_UPDATE_SCREENSHOTS: '1' },
  },
);
child.on('close', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
