#!/usr/bin/env node
// `npm start` after the build: runs the app in Electron. Since Electron 45, `npm ci` does not
// download Electron's binary; it comes from GitHub on the first start. This does that download
// the way `electron .` would (the electron package's own installer), but when it cannot, it says
// so in plain words instead of the package's stack trace, and says what still works.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

/** The first line of the installer's output that says what went wrong (not a stack frame). */
export function firstErrorLine(output) {
  const lines = String(output ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(
      (line) => line !== '' && !line.startsWith('at ') && line !== 'Downloading Electron binary...',
    );
  return lines[0] ?? null;
}

/** The message `npm start` prints when Electron's binary is missing and could not be downloaded. */
export function installFailureMessage({ version, problem, reason, output }) {
  const cause = firstErrorLine(output);
  return [
    `npm start: Chronokey cannot start: Electron ${version}'s binary is not installed, and ` +
      `downloading it from GitHub failed${cause ? ` (${cause})` : ''}.`,
    // After npm ci nothing was downloaded yet: no need to say so. Anything else is worth a line.
    ...(problem === 'not-downloaded' ? [] : [reason]),
    'The first `npm start` downloads it from github.com/electron/electron/releases, so it needs ' +
      'access to GitHub; or set ELECTRON_MIRROR to a mirror of those releases, or point ' +
      `ELECTRON_OVERRIDE_DIST_PATH at an Electron ${version} you already have.`,
    'Without it, everything but the window works: the command line (`npm run --silent cli -- ' +
      '--help`) and all the tests (`npm test`).',
  ].join('\n');
}

/**
 * Makes sure the binary is there (downloading it once with the electron package's installer),
 * then runs the app. Returns the exit code; `runApp` and `installer` are replaceable for tests.
 */
export async function start({
  root = process.cwd(),
  args = [],
  env = process.env,
  installer = path.join(root, 'node_modules', 'electron', 'install.js'),
  log = (line) => console.error(line),
  runApp = runElectron,
} = {}) {
  let binary = findElectronBinary({ root, env });
  if (!binary.installed) {
    const before = binary;
    log(
      `npm start: Electron ${before.version}'s binary is not installed yet; downloading it from ` +
        'GitHub (once)…',
    );
    const result = await runInstaller(installer, root, env);
    binary = findElectronBinary({ root, env });
    if (result.status !== 0 || !binary.installed) {
      const output = result.output;
      log(installFailureMessage({ ...before, output }));
      return 1;
    }
  }
  return runApp(binary.path, ['.', ...args], root);
}

/** Runs the electron package's installer, its output shown as it comes and also kept. */
function runInstaller(installer, cwd, env) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, [installer], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const [stream, sink] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      stream.on('data', (chunk) => {
        output += chunk;
        sink.write(chunk);
      });
    }
    child.on('error', (error) => resolve({ status: 1, output: `${output}\n${error.message}` }));
    child.on('close', (code) => resolve({ status: code ?? 1, output }));
  });
}

/** As the electron package's cli.js: the app's exit code, signals passed on. */
function runElectron(binary, args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { cwd, stdio: 'inherit', windowsHide: false });
    for (const signal of ['SIGINT', 'SIGTERM']) {
      process.on(signal, () => {
        if (!child.killed) child.kill(signal);
      });
    }
    child.on('error', (error) => {
      console.error(`npm start: could not run ${binary}: ${error.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await start({ args: process.argv.slice(2) });
}
