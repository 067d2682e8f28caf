import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceBase32Decode, referenceHotp } from '../core/otp/reference-otp';
import { chronokey, tempVaultDir } from './cli-harness';

/** The CLI's rough edges a newcomer and an attacker found, one test each. */

const SEED_LINK =
  'otpauth://totp/Secure%20App:alice%40google.com?secret=S3K3TPI5MYA2M67V&issuer=Secure%20App';
const HOTP_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const HOTP_LINK = `otpauth://hotp/Bank:bob?secret=${HOTP_SECRET}&issuer=Bank&counter=5`;
const STRONG = 'harbor velvet quartz meadow';

const temps: Array<{ cleanup(): void }> = [];
function newDir(): string {
  const temp = tempVaultDir();
  temps.push(temp);
  return temp.dir;
}
afterAll(() => temps.forEach((temp) => temp.cleanup()));

function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  return lines[0]!;
}

describe('help and usage errors', () => {
  it('COMMAND --help prints that command’s help and runs nothing', async () => {
    const dir = path.join(newDir(), 'none');
    for (const command of ['list', 'code', 'export', 'verify', 'add']) {
      const result = await chronokey(['--vault-dir', dir, command, '--help']);
      expect(result.status, command).toBe(0);
      expect(result.stdout.split('\n')[0]).toContain(`chronokey ${command}`);
      expect(result.stderr).toBe('');
    }
    expect(existsSync(dir)).toBe(false);
    const help = await chronokey(['help', 'verify']);
    expect(help.stdout).toMatch(/--advance/);
  });

  it('the general help names --version, which prints the version', async () => {
    expect((await chronokey(['--help'])).stdout).toMatch(/--version/);
    const version = await chronokey(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('every usage error is one line on stderr, exit 2', async () => {
    for (const args of [
      ['code', '--at', '-5'],
      ['code', '--at', 'soon'],
      ['list', 'extra'],
      ['frobnicate'],
      ['--colour'],
      ['new', '--issuer', 'X'],
    ]) {
      const result = await chronokey(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(oneLine(result.stderr)).toMatch(/^USAGE: \S/);
    }
  });

  it('with --json, errors are one JSON object on stderr with code and message', async () => {
    const usage = await chronokey(['--json', 'code', '--at', '-5']);
    expect(usage.status).toBe(2);
    expect(JSON.parse(oneLine(usage.stderr))).toMatchObject({
      code: 'USAGE',
      message: expect.any(String),
    });
    const missing = await chronokey(['--vault-dir', path.join(newDir(), 'x'), '--json', 'list']);
    expect(missing.status).toBe(1);
    expect(JSON.parse(oneLine(missing.stderr))).toMatchObject({ code: 'VAULT_NOT_FOUND' });
  });
});

describe('init', () => {
  it('without a reachable keychain names the way out and leaves no folder behind', async () => {
    const dir = path.join(newDir(), 'deep', 'vault');
    const result = await chronokey(['--vault-dir', dir, 'init'], {
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' },
    });
    expect(result.status).toBe(1);
    const line = oneLine(result.stderr);
    expect(line).toMatch(/^KEYCHAIN_UNAVAILABLE: /);
    expect(line).toContain('--no-keychain --password-stdin');
    expect(existsSync(path.dirname(dir))).toBe(false);
  });

  it('refuses a master password that is easy to guess', async () => {
    const dir = newDir();
    for (const weak of ['abc', '1', 'password1']) {
      const result = await chronokey(
        ['--vault-dir', dir, 'init', '--no-keychain', '--password-stdin'],
        {
          stdin: `${weak}\n`,
        },
      );
      expect(result.status).toBe(1);
      expect(oneLine(result.stderr)).toMatch(/^PASSWORD_TOO_WEAK: /);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('with a vault', () => {
  let dir: string;
  let root: string;
  const run = (args: string[], stdin?: string) =>
    chronokey(['--vault-dir', dir, ...args], stdin === undefined ? {} : { stdin });

  beforeAll(async () => {
    root = newDir();
    dir = path.join(root, 'vault');
    expect((await run(['init'])).status).toBe(0);
    expect((await run(['add', HOTP_LINK])).status).toBe(0);
  });

  it('add - reads the link from standard input, so the secret is never an argument', async () => {
    const added = await run(['--json', 'add', '-'], `${SEED_LINK}\n`);
    expect(added.status, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ issuer: 'Secure App' });
    const empty = await run(['add', '-'], '');
    expect(empty.status).toBe(1);
    expect(oneLine(empty.stderr)).toMatch(/^LINK_MISSING: /);
  });

  it('new refuses an empty issuer or account', async () => {
    for (const args of [
      ['new', '--issuer', '', '--account', 'a'],
      ['new', '--issuer', 'Lab', '--account', '  '],
    ]) {
      const result = await run(args);
      expect(result.status).toBe(2);
      expect(oneLine(result.stderr)).toMatch(/^USAGE: .*issuer.*account/);
    }
  });

  it('new draws its QR code without colour codes when stdout is not a terminal', async () => {
    const result = await run(['new', '--issuer', 'Lab', '--account', 'ops', '--no-add']);
    expect(result.status).toBe(0);
    expect(result.stdout.includes(String.fromCharCode(27))).toBe(false);
    expect(result.stdout).toMatch(/[█▀▄]/);
  });

  it('verify leaves an HOTP counter alone; --advance moves it past the matched code (RFC 4226 7.2)', async () => {
    const key = referenceBase32Decode(HOTP_SECRET);
    const code7 = referenceHotp(key, 'sha1', 6, 7);
    expect((await run(['verify', 'bank', code7])).status).toBe(0);
    expect(JSON.parse((await run(['--json', 'list'])).stdout)[0].counter).toBe(5);
    const advanced = await run(['--json', 'verify', 'bank', code7, '--advance']);
    expect(advanced.status).toBe(0);
    expect(JSON.parse(advanced.stdout)).toMatchObject({ valid: true, delta: 2, counter: 8 });
    // The same code is never accepted again.
    expect((await run(['verify', 'bank', code7, '--advance'])).status).toBe(1);
    const totp = await run(['verify', 'secure', '123456', '--advance']);
    expect(totp.status).toBe(2);
  });

  it('next --json reports the counter main advanced to', async () => {
    const before = JSON.parse((await run(['--json', 'list'])).stdout)[0].counter as number;
    const next = await run(['--json', 'next', 'bank']);
    expect(JSON.parse(next.stdout).counter).toBe(before + 1);
    expect(JSON.parse((await run(['--json', 'list'])).stdout)[0].counter).toBe(before + 1);
  });

  it('export refuses an existing file unless --force, and a weak password', async () => {
    const file = path.join(root, 'out.ckb');
    writeFileSync(file, 'keep me');
    const refused = await run(['export', file, '--password-stdin'], `${STRONG}\n`);
    expect(refused.status).toBe(1);
    expect(oneLine(refused.stderr)).toMatch(/^EXPORT_TARGET_EXISTS: .*--force/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    const weak = await run(['export', file, '--force', '--password-stdin'], 'abc\n');
    expect(oneLine(weak.stderr)).toMatch(/^PASSWORD_TOO_WEAK: /);
    const forced = await run(['export', file, '--force', '--password-stdin'], `${STRONG}\n`);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(file).subarray(0, 8).toString()).toBe('CHRONOKB');
  });

  it('export never writes into the vault folder or over a vault file', async () => {
    const before = readFileSync(path.join(dir, 'vault.ckv'));
    for (const target of [path.join(dir, 'vault.ckv'), path.join(dir, 'links.txt')]) {
      const result = await run(['export', target, '--format', 'otpauth', '--force']);
      expect(result.status).toBe(1);
      expect(oneLine(result.stderr)).toMatch(/^EXPORT_TARGET_IN_VAULT: /);
    }
    const copy = path.join(root, 'copy.ckv');
    writeFileSync(copy, before);
    const overVault = await run(['export', copy, '--format', 'otpauth', '--force']);
    expect(oneLine(overVault.stderr)).toMatch(/^EXPORT_TARGET_IS_VAULT: /);
    expect(readFileSync(path.join(dir, 'vault.ckv')).equals(before)).toBe(true);
    expect(readdirSync(dir).some((name) => name.endsWith('.txt'))).toBe(false);
  });

  it('sweeps the plain-text temp file a killed export left behind', async () => {
    const folder = path.join(root, 'exports');
    mkdirSync(folder);
    // What `export --format otpauth` leaves when killed mid-write: a temp file of a dead process.
    const dead = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
      .toString()
      .trim();
    const leftover = path.join(folder, `.links.txt.chronokey-tmp-${dead}-abcdef`);
    writeFileSync(leftover, SEED_LINK);
    const result = await run(['export', path.join(folder, 'other.txt'), '--format', 'otpauth']);
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(folder)).toEqual(['other.txt']);
  });

  it('import refuses devices and pipes at once instead of reading them forever', async () => {
    if (process.platform === 'win32') return;
    const zero = await run(['import', '/dev/zero', '--dry-run']);
    expect(zero.status).toBe(1);
    expect(oneLine(zero.stderr)).toMatch(/^IMPORT_NOT_A_FILE: /);
    const fifo = path.join(root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `exec yes > '${fifo}'`]);
    try {
      const piped = await run(['import', fifo, '--dry-run']);
      expect(oneLine(piped.stderr)).toMatch(/^IMPORT_NOT_A_FILE: /);
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('a vault.ckv that is a link to /dev/zero is refused, not read forever', async () => {
    if (process.platform === 'win32') return;
    const other = path.join(newDir(), 'vault');
    mkdirSync(other);
    symlinkSync('/dev/zero', path.join(other, 'vault.ckv'));
    const result = await chronokey(['--vault-dir', other, 'list']);
    expect(result.status).toBe(1);
    expect(oneLine(result.stderr)).toMatch(/^VAULT_UNREADABLE: .*not a regular file/);
  });

  it('the note on a duplicate does not offer a choice the CLI cannot give', async () => {
    const file = path.join(root, 'again.txt');
    writeFileSync(file, `${SEED_LINK}\n`);
    const result = await run(['import', file, '--dry-run']);
    expect(result.stdout).toMatch(/DUPLICATE: Already in your vault/);
    expect(result.stdout).not.toMatch(/pick/);
  });
});
