#!/usr/bin/env node
// Adds up what `npm test` ran and prints one closing line: "N passed, N failed, N skipped".
// Counts come from the suites' JSON reports (Vitest, the browser suite, the Electron suite);
// scripts/test-all.mjs also records each step (checks and suites: passed, failed or not run,
// with its exit code) in .test-results/steps.json, so a suite that failed, crashed or never ran
// is named rather than silently missing. Run alone, it summarises whatever reports exist.
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const REPORTS = {
  electron: '.test-results/electron.json',
  vitest: '.test-results/vitest.json',
  e2e: '.test-results/e2e.json',
};
export const STEPS_FILE = '.test-results/steps.json';

/** Passed/failed/skipped from a Vitest (Jest-style) or Playwright JSON report. */
export function countReport(report) {
  if (report.stats) {
    // Playwright: errors outside any test (a global setup that threw) fail the run too.
    const skipNotes = [];
    const walk = (suite) => {
      for (const spec of suite.specs ?? []) {
        for (const t of spec.tests ?? []) {
          for (const note of t.annotations ?? []) {
            if (note.type === 'skip' && note.description) skipNotes.push(note.description);
          }
        }
      }
      for (const child of suite.suites ?? []) walk(child);
    };
    for (const suite of report.suites ?? []) walk(suite);
    return {
      passed: report.stats.expected + report.stats.flaky,
      failed: report.stats.unexpected,
      skipped: report.stats.skipped,
      errors: (report.errors ?? []).map((error) => firstLine(error.message ?? String(error))),
      skipReason: skipNotes[0] ?? null,
    };
  }
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + report.numTodoTests,
    errors: [],
    skipReason: null,
  };
}

// Playwright colours its error messages; the summary keeps the words.
const ESCAPE = String.fromCharCode(27);
const firstLine = (text) =>
  String(text)
    .split(ESCAPE)
    .map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*m/, '')))
    .join('')
    .trim()
    .split('\n')[0];
const seconds = (step) => (step.seconds === undefined ? '' : ` ${step.seconds.toFixed(0)} s`);

/**
 * The summary's lines and exit code. `steps` (from test-all) says what ran and how it ended;
 * `reports` maps a suite to its parsed JSON report (or null when it wrote none).
 */
export function summarise({ steps = null, reports, checkout = null }) {
  const lines = [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let broken = false;

  const checks = (steps ?? []).filter((step) => step.kind === 'check');
  if (checks.length > 0) {
    lines.push(
      `checks: ${checks
        .map((step) =>
          step.status === 'passed'
            ? `${step.name} ok${seconds(step)}`
            : step.status === 'failed'
              ? `${step.name} FAILED (exit ${step.exitCode})`
              : `${step.name} not run`,
        )
        .join(', ')}`,
    );
    if (checks.some((step) => step.status === 'failed')) broken = true;
  }

  const suiteSteps = new Map(
    (steps ?? []).filter((s) => s.kind === 'suite').map((s) => [s.name, s]),
  );
  const parts = [];
  for (const suite of Object.keys(reports)) {
    const step = suiteSteps.get(suite);
    const report = reports[suite];
    if (step?.status === 'not run') {
      parts.push(`${suite} not run (${step.why})`);
      broken = true;
      continue;
    }
    if (!report) {
      parts.push(
        step ? `${suite} wrote no report (exit ${step.exitCode})` : `${suite} no report (not run)`,
      );
      failed += step ? 1 : 0;
      broken = true;
      continue;
    }
    const counts = countReport(report);
    let suiteFailed = counts.failed + counts.errors.length;
    let note = counts.errors.length > 0 ? `: ${counts.errors[0]}` : '';
    // A suite that exited non-zero without a failed test still failed (a crash, a bad config).
    if (step && step.exitCode !== 0 && suiteFailed === 0) {
      suiteFailed = 1;
      note = ` (exit ${step.exitCode} with no failed test)`;
    }
    if (!note && counts.passed === 0 && counts.failed === 0 && counts.skipReason) {
      note = ` (skipped: ${counts.skipReason})`;
    }
    passed += counts.passed;
    failed += suiteFailed;
    skipped += counts.skipped;
    parts.push(
      `${suite} ${counts.passed}/${suiteFailed}/${counts.skipped}${seconds(step ?? {})}${note}`,
    );
  }
  lines.push(`suites (passed/failed/skipped): ${parts.join(', ')}`);

  if (checkout) {
    if (checkout.changed === null) lines.push(`checkout: not checked (${checkout.why})`);
    else if (checkout.changed.length === 0) lines.push('checkout: left clean');
    else {
      broken = true;
      lines.push(
        `checkout: the run wrote into the working tree (tests must write under .test-results/): ${checkout.changed.join(', ')}`,
      );
    }
  }
  lines.push(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return { lines, exitCode: failed === 0 && !broken ? 0 : 1 };
}

export function readReports() {
  const reports = {};
  for (const [suite, file] of Object.entries(REPORTS)) {
    reports[suite] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  }
  return reports;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const recorded = existsSync(STEPS_FILE) ? JSON.parse(readFileSync(STEPS_FILE, 'utf8')) : null;
  const { lines, exitCode } = summarise({
    steps: recorded?.steps ?? null,
    checkout: recorded?.checkout ?? null,
    reports: readReports(),
  });
  console.log(`\n${lines.join('\n')}`);
  process.exit(exitCode);
}
