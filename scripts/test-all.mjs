#!/usr/bin/env node
// `npm test` (inside scripts/with-keychain.mjs): the checks, then every suite, then the summary.
// The checks (lint, typecheck, security scan, workflow check, build) stop the run at the first
// failure: the suites need a clean build. The suites (the real Electron app, Vitest, the browser
// suite) all run whatever the others did, so one failing suite never hides another's results.
// The closing "N passed, N failed, N skipped" line always prints, naming what failed or did not
// run, and the exit code is non-zero if anything failed or the run wrote into the checkout.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { STEPS_FILE, readReports, summarise } from './test-summary.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

export const CHECKS = ['lint', 'typecheck', 'security', 'lint:workflows', 'build'].map((name) => ({
  name,
  kind: 'check',
  command: [npm, ['run', name]],
}));
export const SUITES = [
  { name: 'electron', command: [npm, ['run', 'test:electron:built']] },
  {
    name: 'vitest',
    command: [
      npx,
      [
        'vitest',
        'run',
        '--reporter=default',
        '--reporter=json',
        '--outputFile.json=.test-results/vitest.json',
      ],
    ],
  },
  { name: 'e2e', command: [npm, ['run', 'test:e2e:built']] },
].map((suite) => ({ ...suite, kind: 'suite' }));

function run([command, args]) {
  return new Promise((resolve) => {
    // npm and npx are .cmd files on Windows, which need a shell to start.
    const child = spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
    child.on('error', () => resolve(127));
    child.on('close', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

// Source files are what people edit (perhaps while the suite runs); tests never write them.
const EDITED_BY_PEOPLE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx|css|html|md)$/;

/** Changed and untracked files (with a hash of their content), as git sees the working tree. */
export function checkoutState() {
  const status = spawnSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], {
    encoding: 'utf8',
  });
  if (status.status !== 0) return null;
  const state = new Map();
  for (const entry of status.stdout.split('\0')) {
    if (entry.length < 4) continue;
    const file = entry.slice(3);
    let hash = 'gone';
    try {
      if (statSync(file).isFile())
        hash = createHash('sha256').update(readFileSync(file)).digest('hex');
    } catch {
      // Deleted: 'gone'.
    }
    state.set(file, `${entry.slice(0, 2)} ${hash}`);
  }
  return state;
}

/** Files the run added or changed (not counting source files people may be editing meanwhile). */
export function changedBy(before, after) {
  return [...after]
    .filter(([file, state]) => before.get(file) !== state && !EDITED_BY_PEOPLE.test(file))
    .map(([file]) => file)
    .sort();
}

async function main() {
  rmSync('.test-results', { recursive: true, force: true });
  mkdirSync('.test-results', { recursive: true });
  const before = checkoutState();
  const steps = [];
  let stopped = null;
  for (const step of [...CHECKS, ...SUITES]) {
    if (stopped) {
      steps.push({ name: step.name, kind: step.kind, status: 'not run', why: `${stopped} failed` });
      continue;
    }
    console.log(`\n=== ${step.name} ===`);
    const started = Date.now();
    const exitCode = await run(step.command);
    steps.push({
      name: step.name,
      kind: step.kind,
      status: exitCode === 0 ? 'passed' : 'failed',
      exitCode,
      seconds: (Date.now() - started) / 1000,
    });
    if (exitCode !== 0 && step.kind === 'check') stopped = step.name;
  }
  const after = checkoutState();
  const checkout =
    before && after
      ? { changed: changedBy(before, after) }
      : { changed: null, why: 'not a git checkout' };
  writeFileSync(STEPS_FILE, JSON.stringify({ steps, checkout }, null, 2));
  const { lines, exitCode } = summarise({ steps, checkout, reports: readReports() });
  console.log(`\n${lines.join('\n')}`);
  return exitCode;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main();
}
