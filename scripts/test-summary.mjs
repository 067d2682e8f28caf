#!/usr/bin/env node
// Adds up the suites `npm test` ran (Vitest, the browser suite, the Electron suite) from their
// JSON reports and prints one closing line: "N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';

const reports = {
  vitest: '.test-results/vitest.json',
  e2e: '.test-results/e2e.json',
  electron: '.test-results/electron.json',
};

let passed = 0;
let failed = 0;
let skipped = 0;
const parts = [];
for (const [suite, file] of Object.entries(reports)) {
  if (!existsSync(file)) {
    console.error(`test-summary: no report from the ${suite} suite (${file})`);
    process.exit(1);
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  // Vitest writes Jest-style counts; Playwright writes stats.
  const counts = report.stats
    ? {
        passed: report.stats.expected + report.stats.flaky,
        failed: report.stats.unexpected,
        skipped: report.stats.skipped,
      }
    : {
        passed: report.numPassedTests,
        failed: report.numFailedTests,
        skipped: report.numPendingTests + report.numTodoTests,
      };
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
  parts.push(`${suite} ${counts.passed}/${counts.failed}/${counts.skipped}`);
}
console.log(`\nsuites (passed/failed/skipped): ${parts.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
