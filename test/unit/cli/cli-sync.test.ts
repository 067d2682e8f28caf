import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chronokey, tempVaultDir } from './cli-harness';

/**
 * `chronokey sync …` with the built binary: two vault folders (two devices) syncing through one
 * shared folder, as two computers would through their sync app.
 */

const SYNC_PASSWORD = 'lantern orchard pebble cobalt drift';
const SEED_LINK =
  'otpauth://totp/Secure%20App:alice%40google.com?secret=S3K3TPI5MYA2M67V&issuer=Secure%20App';

function link(index: number): string {
  const secret = 'JBSWY3DPEHPK3PXP'.slice(0, 10) + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[index]!;
  return `otpauth://totp/Bulk:user${index}?secret=${secret}QQQQQ&issuer=Bulk`;
}

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

function newVault(): string {
  const vault = tempVaultDir();
  cleanups.push(vault.cleanup);
  return vault.dir;
}

function newFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-cli-sync-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function run(dir: string, args: string[], stdin?: string) {
  return chronokey(['--vault-dir', dir, ...args], stdin === undefined ? {} : { stdin });
}

async function names(dir: string): Promise<string[]> {
  const listed = await run(dir, ['--json', 'list']);
  expect(listed.status).toBe(0);
  return (JSON.parse(listed.stdout) as Array<{ account: string }>).map((a) => a.account).sort();
}

describe('chronokey sync between two vaults sharing one folder', () => {
  const folder = newFolder();
  let desk: string;
  let laptop: string;

  beforeAll(async () => {
    desk = newVault();
    laptop = newVault();
    for (const dir of [desk, laptop]) expect((await run(dir, ['init'])).status).toBe(0);
    expect((await run(desk, ['add', SEED_LINK])).status).toBe(0);
  });

  it('refuses an easy sync password and leaves no sync folder', async () => {
    const weak = await run(desk, ['sync', 'setup', folder, '--password-stdin'], 'password1\n');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/^PASSWORD_TOO_WEAK: /);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('sets up sync with --json: this device, the folder, nothing to merge yet', async () => {
    const setup = await run(
      desk,
      ['--json', 'sync', 'setup', folder, '--name', 'Desk', '--password-stdin'],
      `${SYNC_PASSWORD}\n`,
    );
    expect(setup.stderr).toBe('');
    expect(setup.status).toBe(0);
    const result = JSON.parse(setup.stdout);
    expect(result).toMatchObject({
      state: 'on',
      folder: path.join(folder, 'Chronokey Sync'),
      deviceName: 'Desk',
      refused: [],
      clockAhead: [],
    });
    expect(result.devices).toHaveLength(1);
    expect(result.devices[0]).toMatchObject({ name: 'Desk', thisDevice: true });
    const files = readdirSync(path.join(folder, 'Chronokey Sync', 'devices'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.ckr$/);
    const replica = readFileSync(path.join(folder, 'Chronokey Sync', 'devices', files[0]!));
    expect(replica.includes('S3K3TPI5MYA2M67V')).toBe(false);
    expect(replica.includes('alice@google.com')).toBe(false);
  });

  it('a second setup in the same folder is refused with what to do instead', async () => {
    const again = await run(
      laptop,
      ['sync', 'setup', folder, '--password-stdin'],
      `${SYNC_PASSWORD}\n`,
    );
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^SYNC_FOLDER_IN_USE: .*Join sync/);
  });

  it('a wrong password on join changes nothing', async () => {
    const before = readFileSync(path.join(laptop, 'vault.ckv'));
    const wrong = await run(
      laptop,
      ['sync', 'join', folder, '--password-stdin'],
      'not the sync password at all\n',
    );
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/^SYNC_WRONG_PASSWORD: /);
    expect(readFileSync(path.join(laptop, 'vault.ckv')).equals(before)).toBe(true);
  });

  it('joins and reports what came from the other device', async () => {
    const join = await run(
      laptop,
      ['sync', 'join', folder, '--name', 'Laptop', '--password-stdin'],
      `${SYNC_PASSWORD}\n`,
    );
    expect(join.stderr).toBe('');
    expect(join.status).toBe(0);
    expect(join.stdout).toBe('Synced: 1 account added from Desk.\n');
    expect(await names(laptop)).toEqual(['alice@google.com']);
  });

  it('a write on one device syncs after itself; the other sees it on its next pass', async () => {
    const added = await run(laptop, ['add', link(1)]);
    expect(added.status).toBe(0);
    expect(added.stderr).toBe('');
    const now = await run(desk, ['--json', 'sync', 'now']);
    expect(now.status).toBe(0);
    const result = JSON.parse(now.stdout);
    expect(result.changes.added).toEqual([{ device: 'Laptop', count: 1 }]);
    expect(result.devices.map((d: { name: string }) => d.name).sort()).toEqual(['Desk', 'Laptop']);
    expect(await names(desk)).toEqual(['alice@google.com', 'user1']);
  });

  it('status names every device with when it last synced', async () => {
    const status = await run(desk, ['sync', 'status']);
    expect(status.status).toBe(0);
    expect(status.stdout).toContain(
      `Syncing through ${path.join(folder, 'Chronokey Sync')} as "Desk".`,
    );
    expect(status.stdout).toMatch(/ {2}Desk \(this device\) {2}last synced \d{4}-/);
    expect(status.stdout).toMatch(/ {2}Laptop {2}last synced \d{4}-/);
  });

  it('many removals from another device wait for --yes, then apply', async () => {
    const links = Array.from({ length: 12 }, (_, index) => link(index + 2)).join('\n');
    const imported = await run(desk, ['import', '-'], `${links}\n`);
    expect(imported.status).toBe(0);
    expect((await run(laptop, ['sync', 'now'])).status).toBe(0);
    expect(await names(laptop)).toHaveLength(14);
    for (let index = 2; index < 14; index += 1) {
      const removed = await run(laptop, ['remove', `user${index}`]);
      expect(removed.status, removed.stderr).toBe(0);
    }
    const before = readFileSync(path.join(desk, 'vault.ckv'));
    const held = await run(desk, ['sync', 'now']);
    expect(held.status).toBe(1);
    expect(held.stderr).toMatch(/^SYNC_REMOVALS_PENDING: .*remove 12 of your 14 accounts.*--yes/);
    expect(readFileSync(path.join(desk, 'vault.ckv')).equals(before)).toBe(true);
    const applied = await run(desk, ['sync', 'now', '--yes']);
    expect(applied.status).toBe(0);
    expect(applied.stdout).toBe('Synced: 12 accounts removed on Laptop.\n');
    expect(await names(desk)).toEqual(['alice@google.com', 'user1']);
  });

  it('usage mistakes exit 2 with one line', async () => {
    for (const args of [
      ['sync'],
      ['sync', 'fly'],
      ['sync', 'setup'],
      ['sync', 'status', '--yes'],
    ]) {
      const result = await run(desk, args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('leave stops syncing and keeps the accounts; sync now then says it is not set up', async () => {
    const leave = await run(laptop, ['sync', 'leave']);
    expect(leave.status).toBe(0);
    expect(leave.stdout).toContain('Stopped syncing on this device');
    expect(await names(laptop)).toEqual(['alice@google.com', 'user1']);
    const status = await run(laptop, ['--json', 'sync', 'status']);
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'off', devices: [] });
    const now = await run(laptop, ['sync', 'now']);
    expect(now.status).toBe(1);
    expect(now.stderr).toMatch(/^SYNC_NOT_SET_UP: /);
  });
});

describe('chronokey sync with a password-protected vault', () => {
  it('reads the sync password, then the vault password, from standard input', async () => {
    const folder = newFolder();
    const dir = newVault();
    const vaultPassword = 'granite meadow violet harbor';
    expect(
      (await run(dir, ['init', '--no-keychain', '--password-stdin'], `${vaultPassword}\n`)).status,
    ).toBe(0);
    const setup = await run(
      dir,
      ['sync', 'setup', folder, '--name', 'Tower', '--password-stdin'],
      `${SYNC_PASSWORD}\n${vaultPassword}\n`,
    );
    expect(setup.stderr).toBe('');
    expect(setup.status).toBe(0);
    const added = await run(
      dir,
      ['add', '--password-stdin', '-'],
      `${vaultPassword}\n${SEED_LINK}\n`,
    );
    expect(added.status).toBe(0);
    expect(added.stderr).toBe('');
    const status = await run(
      dir,
      ['--json', 'sync', 'status', '--password-stdin'],
      `${vaultPassword}\n`,
    );
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'on', deviceName: 'Tower' });
  });
});
