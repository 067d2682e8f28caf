#!/usr/bin/env node
// `npm run dist` after the build: electron-builder, with one plain message when it cannot
// download what it builds installers from. electron-builder 26 fetches two kinds of files on
// first use, both from GitHub: Electron's own zip (electron-v<version>-<platform>-<arch>.zip,
// through @electron/get) and its tools (AppImage, fpm, NSIS, … from electron-builder-binaries).
// Offline, it fails with a bare `getaddrinfo ENOTFOUND github.com` and a stack trace; this says
// which file was being downloaded and how to provide it (see
// https://www.electron.build/docs/tutorials/offline-air-gapped-builds).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const NETWORK_ERROR =
  /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)\b|fetch failed|socket hang up|\bHTTPError: Response code 40[34]\b/;

/** A stack frame, or electron-builder's `stackTrace=` field: kept back unless nothing explains the failure. */
export function isStackLine(line) {
  return /^\s+at\s/.test(line);
}

/** electron-builder's log fields (`• packaging  platform=linux arch=x64`) as an object. */
function fields(line) {
  return Object.fromEntries([...line.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
}

/** Where @electron/get and electron-builder keep what they downloaded, on this system. */
export function cacheFolders({
  platform = process.platform,
  env = process.env,
  home = os.homedir(),
} = {}) {
  if (platform === 'darwin') {
    return {
      electron: path.join(home, 'Library', 'Caches', 'electron'),
      builder:
        env.ELECTRON_BUILDER_CACHE || path.join(home, 'Library', 'Caches', 'electron-builder'),
    };
  }
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA || path.join(home, 'AppData', 'Local');
    return {
      electron: path.join(local, 'electron', 'Cache'),
      builder: env.ELECTRON_BUILDER_CACHE || path.join(local, 'electron-builder', 'Cache'),
    };
  }
  const cache = env.XDG_CACHE_HOME || path.join(home, '.cache');
  return {
    electron: path.join(cache, 'electron'),
    builder: env.ELECTRON_BUILDER_CACHE || path.join(cache, 'electron-builder'),
  };
}

/**
 * What electron-builder was downloading when a network error stopped it, read from its log; null
 * when the failure is not a download (its own output then stands alone).
 */
export function downloadFailure(output) {
  const lines = String(output).split(/\r?\n/);
  const errorLine =
    lines.find((line) => line.includes('⨯') && NETWORK_ERROR.test(line)) ??
    lines.find((line) => NETWORK_ERROR.test(line) && !isStackLine(line));
  if (!errorLine) return null;
  const error = errorLine
    .replace(/^.*⨯\s*/, '')
    .replace(/\s+(failedTask|stackTrace)=.*$/, '')
    .trim();
  const host =
    /getaddrinfo \w+ ([\w.-]+)/.exec(error)?.[1] ??
    /https?:\/\/([\w.-]+)/.exec(output)?.[1] ??
    null;

  // The last step electron-builder announced before the error says what it was fetching.
  let what = { kind: 'unknown' };
  for (const line of lines) {
    if (line === errorLine) break;
    if (/•\s+packaging\s/.test(line)) {
      const { platform, arch, electron } = fields(line);
      what = { kind: 'electron', platform, arch, version: electron };
    } else if (
      /•\s+(downloaded electron zip extracted|using custom (electronDist|unpacked))/.test(line)
    ) {
      what = { kind: 'tools', target: null };
    } else if (/•\s+building\s/.test(line)) {
      what = { kind: 'tools', target: fields(line).target ?? null };
    } else if (/•\s+executing @electron\/rebuild/.test(line)) {
      what = { kind: 'headers', version: fields(line).electronVersion };
    } else if (/•\s+(completed installing native dependencies)/.test(line)) {
      what = { kind: 'unknown' };
    }
  }
  return { error, host, ...what };
}

/** The one message `npm run dist` prints for a download failure. */
export function downloadFailureMessage(failure, options = {}) {
  const caches = cacheFolders(options);
  const from = failure.host ? ` from ${failure.host}` : '';
  const electronZip =
    failure.kind === 'electron' && failure.version
      ? `electron-v${failure.version}-${failure.platform}-${failure.arch}.zip`
      : 'electron-v<version>-<platform>-<arch>.zip';
  const electronHelp =
    `Electron's zip: put ${electronZip} (from github.com/electron/electron/releases) in a folder ` +
    'and run `npm run dist -- -c.electronDist=FOLDER`; or set ELECTRON_MIRROR to a mirror of ' +
    `those releases; or seed @electron/get's cache (${caches.electron}) as the page below ` +
    'describes.';
  const toolsHelp =
    `electron-builder's tools: copy its cache (${caches.builder}; ELECTRON_BUILDER_CACHE names ` +
    'another folder) from a machine that built the same targets online, or set ' +
    'ELECTRON_BUILDER_BINARIES_MIRROR to a mirror of github.com/electron-userland/electron-builder-binaries.';
  const headersHelp =
    "Electron's headers (to rebuild keytar; @electron/rebuild fetches them from " +
    'www.electronjs.org/headers and keeps them in ~/.electron-gyp): run `npm run dist` once ' +
    'where that site is reachable, or copy ~/.electron-gyp from a machine that did.';

  const subject = {
    electron: [`Electron's binary (${electronZip})`, [electronHelp]],
    tools: [
      `electron-builder's tools${failure.target ? ` for the ${failure.target} target` : ''}`,
      [toolsHelp],
    ],
    headers: [`Electron ${failure.version ?? ''}'s headers`.replace('  ', ' '), [headersHelp]],
    unknown: ["a file it needs (Electron's binary or one of its tools)", [electronHelp, toolsHelp]],
  }[failure.kind];
  return [
    `npm run dist: electron-builder could not download ${subject[0]}${from}: ${failure.error}. ` +
      'Installers are built from files downloaded on first use; without network access, provide them:',
    ...subject[1].map((line) => `  - ${line}`),
    '  See https://www.electron.build/docs/tutorials/offline-air-gapped-builds',
  ].join('\n');
}

/**
 * Runs electron-builder with these arguments, its log passed through as it comes except stack
 * traces, which are held back and shown only when the failure is not a download it explains.
 */
export function dist({
  args = [],
  command = [process.execPath, [path.join('node_modules', 'electron-builder', 'cli.js')]],
  stdout = process.stdout,
  stderr = process.stderr,
  env = process.env,
} = {}) {
  return new Promise((resolve) => {
    const child = spawn(command[0], [...command[1], ...args], {
      env,
      stdio: ['inherit', 'pipe', 'pipe'],
    });
    let output = '';
    const held = [];
    const pass = (stream, sink) => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) emit(line, sink);
      });
      stream.on('end', () => partial && emit(partial, sink));
    };
    const emit = (line, sink) => {
      output += `${line}\n`;
      if (isStackLine(line) || line.includes('stackTrace=')) {
        held.push({ line, sink });
        if (line.includes('stackTrace=')) sink.write(`${line.replace(/\s+stackTrace=.*$/, '')}\n`);
      } else {
        sink.write(`${line}\n`);
      }
    };
    pass(child.stdout, stdout);
    pass(child.stderr, stderr);
    child.on('error', (error) => {
      stderr.write(`npm run dist: could not run electron-builder: ${error.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      const status = signal ? 1 : (code ?? 1);
      if (status === 0) return resolve(0);
      const failure = downloadFailure(output);
      if (failure) {
        stderr.write(`\n${downloadFailureMessage(failure, { env })}\n`);
      } else {
        for (const { line, sink } of held) sink.write(`${line}\n`);
      }
      resolve(status);
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  if (!pkg.devDependencies?.['electron-builder']) throw new Error('run from the checkout root');
  process.exitCode = await dist({ args: process.argv.slice(2) });
}
