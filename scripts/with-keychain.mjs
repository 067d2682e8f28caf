#!/usr/bin/env node
// Runs a command where an OS keychain is reachable. On Linux without a Secret Service
// (CI, SSH, containers) it starts a private D-Bus session with an unlocked gnome-keyring,
// so tests and benchmarks use a real keychain rather than a fake one.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: with-keychain.mjs COMMAND [ARGS...]');
  process.exit(2);
}

async function keychainReachable() {
  if (process.platform !== 'linux') return true;
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) return false;
  try {
    const keytar = createRequire(import.meta.url)('keytar');
    const probe = keytar.findCredentials('Chronokey-probe');
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error('timeout')), 3000),
    );
    await Promise.race([probe, timeout]);
    return true;
  } catch {
    return false;
  }
}

function run(cmd, args) {
  const child = spawn(cmd, args, { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
}

if (await keychainReachable()) {
  run(command[0], command.slice(1));
} else {
  const hasDbus =
    spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon'], {
      stdio: 'ignore',
    }).status === 0;
  if (!hasDbus) {
    console.error(
      'No OS keychain is reachable and dbus-run-session/gnome-keyring-daemon are not installed.',
    );
    console.error('On Debian/Ubuntu: sudo apt-get install dbus gnome-keyring libsecret-1-0');
    process.exit(1);
  }
  const quoted = command.map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
  // The private keyring keeps its file in a temporary folder, so parallel runs never share one.
  const keyringHome = mkdtempSync(path.join(os.tmpdir(), 'chronokey-keyring-'));
  const script =
    `printf '\\n' | XDG_DATA_HOME='${keyringHome}' gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; ` +
    `${quoted}; status=$?; rm -rf '${keyringHome}'; exit $status`;
  console.error('with-keychain: starting a private D-Bus session with gnome-keyring for this run');
  run('dbus-run-session', ['--', 'sh', '-c', script]);
}
