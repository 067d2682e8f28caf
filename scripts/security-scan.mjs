// `npm run security`: scans main/ (main process, preload, shell) and the renderer with
// @doyensec/electronegativity and fails on any finding above INFORMATIONAL that
// docs/security.md does not explain in its "Scanner findings" table.
//
// Electronegativity fetches translations and Electron's release list over the network when it
// starts. The scan itself is local; this runs it offline so it gives the same answer on every
// machine: the translation fetch is answered "unavailable" (the bundled English is used) and the
// release-list check is left out (Electron updates are npm audit's and Dependabot's job).
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Checks that need the network and what stands in for them (see docs/security.md). */
export const OFFLINE_EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
/**
 * What is scanned. The global checks that look for the main process's guards (navigation
 * limits, the permission handler, the CSP) run on main/; on the renderer alone they could only
 * report that main/ is missing.
 */
export const TARGETS = [
  { input: 'main', exclude: [] },
  {
    input: 'renderer',
    exclude: [
      'CSPGlobalCheck',
      'LimitNavigationGlobalCheck',
      'PermissionRequestHandlerGlobalCheck',
    ],
  },
];
const SEVERITY = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };

function offlineGot() {
  const originalLoad = Module._load;
  Module._load = function load(request, parent, isMain) {
    if (request === 'got' && parent?.filename?.includes('electronegativity')) {
      return () => Promise.reject(new Error('Chronokey scans offline'));
    }
    return originalLoad.call(this, request, parent, isMain);
  };
  return () => {
    Module._load = originalLoad;
  };
}

/**
 * The findings docs/security.md accepts: rows of its "Scanner findings" table, each
 * `| \`CHECK_ID\` | \`path/to/file.ts\` | why |`.
 */
export function acceptedFindings(markdown) {
  const section = markdown.split(/^## /m).find((part) => part.startsWith('Scanner findings'));
  if (!section) return [];
  const rows = [];
  for (const line of section.split('\n')) {
    const match = /^\|\s*`([A-Z0-9_]+)`\s*\|\s*`([^`]+)`\s*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (match && match[3].length > 0) rows.push({ id: match[1], file: match[2], why: match[3] });
  }
  return rows;
}

/** Findings above INFORMATIONAL that no accepted row explains. */
export function unexplained(issues, accepted) {
  return issues.filter(
    (issue) =>
      issue.severity > SEVERITY.INFORMATIONAL &&
      !accepted.some((row) => row.id === issue.id && row.file === issue.file),
  );
}

/** Runs electronegativity over one directory (or file) and returns plain findings. */
export async function scan(input, { electronVersion, exclude = [] } = {}) {
  const restore = offlineGot();
  const silence = console.log;
  console.log = () => undefined;
  try {
    const run = require('@doyensec/electronegativity');
    const version = electronVersion ?? require('electron/package.json').version;
    const result = await run({
      input: path.resolve(root, input),
      output: undefined,
      isSarif: false,
      customScan: undefined,
      excludeFromScan: [...OFFLINE_EXCLUDED_CHECKS, ...exclude],
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: false,
      isVerbose: false,
      electronUpgrade: undefined,
      electronVersionOverride: version,
      parserPlugins: [],
    });
    return {
      checks: result.globalChecks + result.atomicChecks,
      errors: result.errors.filter((error) => !error.tolerable),
      issues: result.issues.map((issue) => ({
        id: issue.id,
        severity: issue.severity.value,
        severityName: issue.severity.name,
        confidence: issue.confidence.name,
        file: path.relative(root, issue.file).split(path.sep).join('/'),
        line: issue.location?.line ?? 0,
        description: issue.description,
      })),
    };
  } finally {
    console.log = silence;
    restore();
  }
}

async function main() {
  const accepted = acceptedFindings(readFileSync(path.join(root, 'docs/security.md'), 'utf8'));
  let failed = false;
  let total = 0;
  for (const { input: dir, exclude } of TARGETS) {
    const { checks, errors, issues } = await scan(dir, { exclude });
    total += issues.length;
    for (const error of errors) {
      failed = true;
      console.error(`security: could not parse ${error.file}: ${error.message}`);
    }
    for (const issue of unexplained(issues, accepted)) {
      failed = true;
      console.error(
        `security: ${issue.severityName} ${issue.id} in ${issue.file}:${issue.line} — ${issue.description}\n` +
          '  Fix it, or explain why it is safe in docs/security.md ("Scanner findings").',
      );
    }
    console.log(`security: ${dir}/ scanned with ${checks} electronegativity checks`);
  }
  if (failed) process.exit(1);
  console.log(
    `security: ${total} finding(s), none above informational unexplained (docs/security.md)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
