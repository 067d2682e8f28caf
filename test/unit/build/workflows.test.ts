import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';

/**
 * The workflows cannot run here: they are checked against GitHub's workflow schema with
 * action-validator (also `npm run lint:workflows`), and for what Chronokey needs of them.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

const source = (name: string) =>
  readFileSync(path.join(root, '.github', 'workflows', name), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on'?: string;
  env?: Record<string, string>;
  uses?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  strategy?: { matrix: { os?: string[]; include?: { os: string }[] } };
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}
const load = (name: string) => yaml.load(source(name)) as Workflow;
const allRuns = (job: Job) => (job.steps ?? []).map((step) => step.run ?? '').join('\n');
/** The position of the first step whose command matches, or -1. */
const stepIndex = (job: Job, pattern: RegExp) =>
  (job.steps ?? []).findIndex((step) => pattern.test(step.run ?? ''));
const INSTALL_ELECTRON = /^npx --no install-electron$/m;

describe('GitHub workflows', () => {
  it('are valid workflows by GitHub’s schema', () => {
    for (const name of ['ci.yml', 'release.yml']) {
      expect(validateWorkflow(source(name)).errors, name).toEqual([]);
    }
    // The validator has teeth: a misspelt key is an error.
    const broken = source('ci.yml').replace('runs-on:', 'runs_on:');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  it('CI tests on Ubuntu, macOS and Windows with Node 24 on every push and pull request', () => {
    const ci = load('ci.yml');
    expect(Object.keys(ci.on)).toEqual(
      expect.arrayContaining(['push', 'pull_request', 'workflow_call']),
    );
    expect(ci.permissions).toEqual({ contents: 'read' });
    const job = ci.jobs.test!;
    const oses = job.strategy!.matrix.os!;
    expect(oses.some((os) => os.startsWith('ubuntu'))).toBe(true);
    expect(oses.some((os) => os.startsWith('macos'))).toBe(true);
    expect(oses.some((os) => os.startsWith('windows'))).toBe(true);
    const setupNode = job.steps!.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setupNode?.with?.['node-version']).toBe(24);
  });

  it('CI runs the whole suite on Linux under Xvfb with the keychain, Chromium and Electron', async () => {
    const job = load('ci.yml').jobs.test!;
    const runs = allRuns(job);
    expect(runs).toMatch(/apt-get install[\s\S]*libsecret-1-dev[\s\S]*gnome-keyring[\s\S]*xvfb/);
    expect(runs).toContain('xvfb-run -a npm test');
    expect(runs).toContain('/usr/bin/chromium');
    expect(JSON.stringify(job)).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    // npm test includes the Electron suite (scripts/test-all.mjs runs every suite).
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['test:all']).toBe('node scripts/test-all.mjs');
    const { SUITES } = await import('../../../scripts/test-all.mjs');
    expect(SUITES.map((suite) => suite.name)).toContain('electron');
    expect(SUITES.find((suite) => suite.name === 'electron')!.command[1]).toContain(
      'test:electron:built',
    );
  });

  it('CI installs Electron’s binary after npm ci, on every system, and requires it', () => {
    // Electron 45's npm package downloads its binary on first use, not during npm ci: without
    // this step the real-app suite would find no binary (and, before, silently skip).
    const job = load('ci.yml').jobs.test!;
    const install = stepIndex(job, INSTALL_ELECTRON);
    expect(install).toBeGreaterThan(stepIndex(job, /^npm ci$/m));
    expect(job.steps![install]!.if).toBeUndefined();
    expect(install).toBeLessThan(stepIndex(job, /xvfb-run -a npm test/));
    expect(install).toBeLessThan(stepIndex(job, /npm run test:electron:built/));
    // There a missing binary fails the suite instead of skipping it.
    expect(job.env?.CHRONOKEY_REQUIRE_ELECTRON).toBe('1');
  });

  it('release installs Electron’s binary and runs the real app before building installers', () => {
    const job = load('release.yml').jobs.installers!;
    expect(job.env?.CHRONOKEY_REQUIRE_ELECTRON).toBe('1');
    const install = stepIndex(job, INSTALL_ELECTRON);
    expect(install).toBeGreaterThan(stepIndex(job, /^npm ci$/m));
    expect(job.steps![install]!.if).toBeUndefined();
    const suites = job.steps!.filter((step) => step.run?.includes('test:electron:built'));
    // Under Xvfb (and a keychain) on Linux, directly elsewhere.
    expect(suites.map((step) => [step.if, step.run])).toEqual([
      [
        "runner.os == 'Linux'",
        'xvfb-run -a node scripts/with-keychain.mjs npm run test:electron:built',
      ],
      ["runner.os != 'Linux'", 'npm run test:electron:built'],
    ]);
    const build = stepIndex(job, /electron-builder|scripts\/dist\.mjs/);
    for (const suite of suites) {
      const index = job.steps!.indexOf(suite);
      expect(index).toBeGreaterThan(install);
      expect(index).toBeLessThan(build);
    }
    expect(allRuns(job)).toMatch(/apt-get install[\s\S]*xvfb/);
  });

  it('CI runs the Electron suite and unit tests on macOS and Windows too', () => {
    const steps = load('ci.yml').jobs.test!.steps!;
    const elsewhere = steps.filter((step) => step.if === "runner.os != 'Linux'");
    const runs = elsewhere.map((step) => step.run).join('\n');
    for (const script of ['test:electron:built', 'test:unit', 'lint', 'typecheck', 'security']) {
      expect(runs).toContain(`npm run ${script}`);
    }
  });

  it('release builds installers on the three systems for v* tags into a draft release', () => {
    const release = load('release.yml');
    expect(release.on).toEqual({ push: { tags: ['v*'] } });
    expect(release.jobs.test?.uses).toBe('./.github/workflows/ci.yml');
    const job = release.jobs.installers!;
    expect(job.needs).toBe('test');
    expect(job.permissions).toEqual({ contents: 'write' });
    const oses = job.strategy!.matrix.include!.map((entry) => entry.os);
    expect(oses.map((os) => os.split('-')[0])).toEqual(['ubuntu', 'macos', 'windows']);
    // Through scripts/dist.mjs: electron-builder, with a plain message if a download fails.
    const build = job.steps!.find((step) => step.run?.includes('scripts/dist.mjs'))!;
    expect(build.run).toContain('--publish always');
    // Draft: electron-builder.yml's publish.releaseType (checked in its own test).
    expect(Object.keys(build.env!)).toEqual(
      expect.arrayContaining([
        'GH_TOKEN',
        'CSC_LINK',
        'CSC_KEY_PASSWORD',
        'APPLE_ID',
        'APPLE_APP_SPECIFIC_PASSWORD',
        'APPLE_TEAM_ID',
      ]),
    );
    for (const value of Object.values(build.env!)) expect(value).toMatch(/^\$\{\{.*\}\}$/);
    expect(allRuns(job)).toMatch(/apt-get install[\s\S]*\brpm\b/);
  });
});
