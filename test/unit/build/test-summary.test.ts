import { describe, expect, it } from 'vitest';
import { changedBy } from '../../../scripts/test-all.mjs';
import type { Step } from '../../../scripts/test-summary.mjs';
import { summarise } from '../../../scripts/test-summary.mjs';

/**
 * `npm test`'s closing line. It used to come from the last command of an `&&` chain, so a failed
 * browser suite stopped the chain and no summary printed at all. Now scripts/test-all.mjs runs
 * every suite and the summary names what failed or never ran, with a non-zero exit.
 */
const playwright = (expected: number, unexpected: number, skipped: number, extra = {}) => ({
  stats: { expected, unexpected, skipped, flaky: 0 },
  suites: [],
  errors: [],
  ...extra,
});
const vitest = (passed: number, failed: number) => ({
  numPassedTests: passed,
  numFailedTests: failed,
  numPendingTests: 1,
  numTodoTests: 0,
});
const checks: Step[] = ['lint', 'typecheck', 'security', 'lint:workflows', 'build'].map((name) => ({
  name,
  kind: 'check',
  status: 'passed',
  exitCode: 0,
  seconds: 3,
}));
const suite = (name: string, exitCode: number): Step => ({
  name,
  kind: 'suite',
  status: exitCode === 0 ? 'passed' : 'failed',
  exitCode,
  seconds: 60,
});

describe('the test summary', () => {
  it('prints the totals when the browser suite fails, and exits non-zero', () => {
    const { lines, exitCode } = summarise({
      steps: [...checks, suite('electron', 0), suite('vitest', 0), suite('e2e', 1)],
      reports: { electron: playwright(0, 0, 7), vitest: vitest(900, 0), e2e: playwright(80, 2, 0) },
      checkout: { changed: [] },
    });
    expect(lines.at(-1)).toBe('980 passed, 2 failed, 8 skipped');
    expect(lines.join('\n')).toContain('e2e 80/2/0');
    expect(lines.join('\n')).toContain('checkout: left clean');
    expect(exitCode).toBe(1);
  });

  it('says which suites did not run when a check failed first', () => {
    const failedLint: Step[] = [
      { name: 'lint', kind: 'check', status: 'failed', exitCode: 1, seconds: 5 },
      ...checks
        .slice(1)
        .map((step) => ({ ...step, status: 'not run' as const, why: 'lint failed' })),
    ];
    const { lines, exitCode } = summarise({
      steps: [
        ...failedLint,
        ...['electron', 'vitest', 'e2e'].map((name) => ({
          name,
          kind: 'suite' as const,
          status: 'not run' as const,
          why: 'lint failed',
        })),
      ],
      reports: { electron: null, vitest: null, e2e: null },
    });
    expect(lines[0]).toContain('lint FAILED (exit 1)');
    expect(lines[0]).toContain('build not run');
    expect(lines[1]).toBe(
      'suites (passed/failed/skipped): electron not run (lint failed), vitest not run (lint failed), e2e not run (lint failed)',
    );
    expect(lines.at(-1)).toBe('0 passed, 0 failed, 0 skipped');
    expect(exitCode).toBe(1);
  });

  it('counts a suite that exited non-zero without a failed test (a global setup that threw)', () => {
    const { lines, exitCode } = summarise({
      steps: [...checks, suite('electron', 1), suite('vitest', 0), suite('e2e', 0)],
      reports: {
        electron: playwright(0, 0, 0, {
          errors: [
            { message: 'Error: [electron suite] FAILED: CHRONOKEY_REQUIRE_ELECTRON=1, but …' },
          ],
        }),
        vitest: vitest(10, 0),
        e2e: playwright(5, 0, 0),
      },
    });
    expect(lines.join('\n')).toContain('electron 0/1/0 60 s: Error: [electron suite] FAILED');
    expect(lines.at(-1)).toBe('15 passed, 1 failed, 1 skipped');
    expect(exitCode).toBe(1);
  });

  it('names why a wholly skipped suite was skipped', () => {
    const skippedElectron = playwright(0, 0, 7, {
      suites: [
        {
          specs: [
            {
              tests: [
                {
                  annotations: [
                    { type: 'skip', description: "Electron's binary is not installed" },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const { lines, exitCode } = summarise({
      steps: [...checks, suite('electron', 0), suite('vitest', 0), suite('e2e', 0)],
      reports: { electron: skippedElectron, vitest: vitest(1, 0), e2e: playwright(1, 0, 0) },
      checkout: { changed: [] },
    });
    expect(lines.join('\n')).toContain(
      "electron 0/0/7 60 s (skipped: Electron's binary is not installed)",
    );
    expect(exitCode).toBe(0);
  });

  it('fails a run that wrote into the checkout, naming the files', () => {
    const { lines, exitCode } = summarise({
      steps: [...checks, suite('electron', 0), suite('vitest', 0), suite('e2e', 0)],
      reports: { electron: playwright(1, 0, 0), vitest: vitest(1, 0), e2e: playwright(1, 0, 0) },
      checkout: { changed: ['test/e2e/screenshots/settings-dark.png'] },
    });
    expect(lines.join('\n')).toContain('wrote into the working tree');
    expect(lines.join('\n')).toContain('test/e2e/screenshots/settings-dark.png');
    expect(exitCode).toBe(1);
  });

  it('tells what the run changed from what was already changed before it', () => {
    const before = new Map([
      ['renderer/src/App.tsx', ' M aaa'],
      ['test/e2e/screenshots/a.png', ' M bbb'],
    ]);
    const after = new Map([
      ['renderer/src/App.tsx', ' M ccc'], // someone editing meanwhile: source, not the run's
      ['test/e2e/screenshots/a.png', ' M ddd'], // rewritten by the run
      ['test/e2e/screenshots/b.png', ' M eee'], // newly changed by the run
      ['notes.txt', '?? fff'], // a new file left behind
    ]);
    expect(changedBy(before, after)).toEqual([
      'notes.txt',
      'test/e2e/screenshots/a.png',
      'test/e2e/screenshots/b.png',
    ]);
    expect(changedBy(before, new Map(before))).toEqual([]);
  });
});
