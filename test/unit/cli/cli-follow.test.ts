import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chronokey, tempVaultDir } from './cli-harness';

/**
 * `chronokey follow …` with the built binary: a folder where the test writes successive 2FAS
 * backups, followed, read, and the "removed on the phone?" answer given.
 */

const VAULT_PASSWORD = 'vault pass';
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

function backup(
  folder: string,
  name: string,
  services: Array<{ name: string; secret: string; account: string }>,
) {
  const file = path.join(folder, name);
  writeFileSync(
    file,
    JSON.stringify({
      services: services.map((service, index) => ({
        name: service.name,
        secret: service.secret,
        otp: {
          account: service.account,
          digits: 6,
          period: 30,
          algorithm: 'SHA1',
          tokenType: 'TOTP',
        },
        order: { position: index },
      })),
      groups: [],
      schemaVersion: 4,
    }),
  );
  const old = new Date(Date.now() - 10 * 60_000);
  utimesSync(file, old, old);
}

const GITHUB = { name: 'GitHub', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', account: 'ann' };
const MAIL = { name: 'Mail', secret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU', account: 'ann' };

describe('chronokey follow', () => {
  it('adds a folder, reads its newest backup, follows the next one, and asks before removing', async () => {
    const vault = tempVaultDir();
    cleanups.push(vault.cleanup);
    const folder = mkdtempSync(path.join(os.tmpdir(), 'chronokey-cli-follow-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const run = (args: string[], stdin = `${VAULT_PASSWORD}\n`) =>
      chronokey(['--vault-dir', vault.dir, ...args, '--password-stdin'], { stdin });
    const init = await chronokey(
      ['--vault-dir', vault.dir, 'init', '--no-keychain', '--password-stdin'],
      { stdin: `${VAULT_PASSWORD}\n` },
    );
    expect(init.status, init.stderr).toBe(0);

    backup(folder, '2fas-backup-20261201102200.2fas', [GITHUB, MAIL]);
    const add = await run(['follow', 'add', folder], `\n${VAULT_PASSWORD}\n`);
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toContain(folder);
    expect(add.stdout).toMatch(
      /2FAS backup of 2026-12-01 \d\d:\d\d: 2 new, 0 changed \(2fas-backup-20261201102200\.2fas\)/,
    );

    backup(folder, '2fas-backup-20261201112200.2fas', [{ ...GITHUB, account: 'ann.b' }]);
    const now = await run(['follow', 'now', '--json']);
    expect(now.status, now.stderr).toBe(0);
    const status = JSON.parse(now.stdout) as {
      follows: Array<{
        last: { added: number; changed: number; missing: number };
        missing: string[];
      }>;
    };
    expect(status.follows[0]!.last).toMatchObject({ added: 0, changed: 1, missing: 1 });
    expect(status.follows[0]!.missing).toEqual(['Mail:ann']);

    const list = await run(['list', '--json']);
    expect((JSON.parse(list.stdout) as Array<{ account: string }>).map((a) => a.account)).toEqual([
      'ann.b',
      'ann',
    ]);

    const drop = await run(['follow', 'drop', folder]);
    expect(drop.status, drop.stderr).toBe(0);
    expect(drop.stdout).toContain('Removed 1 account');
    const after = await run(['list', '--json']);
    expect((JSON.parse(after.stdout) as unknown[]).length).toBe(1);

    const remove = await run(['follow', 'remove', folder]);
    expect(remove.status, remove.stderr).toBe(0);
    expect((await run(['follow', 'status'])).stdout).toContain('No folder is followed.');
  }, 60_000);

  it('exits 1 naming the file when the backup cannot be read, and changes nothing', async () => {
    const vault = tempVaultDir();
    cleanups.push(vault.cleanup);
    const folder = mkdtempSync(path.join(os.tmpdir(), 'chronokey-cli-follow-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    await chronokey(['--vault-dir', vault.dir, 'init', '--no-keychain', '--password-stdin'], {
      stdin: `${VAULT_PASSWORD}\n`,
    });
    const file = path.join(folder, 'aegis-backup-20261201-102200.json');
    writeFileSync(file, '{"version": 1, "header": {"slots": [], "params": null}, "db": ');
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(file, old, old);
    const add = await chronokey(
      ['--vault-dir', vault.dir, 'follow', 'add', folder, '--password-stdin'],
      { stdin: `\n${VAULT_PASSWORD}\n` },
    );
    expect(add.status).toBe(1);
    expect(add.stdout).toMatch(/IMPORT_MALFORMED.*aegis-backup-20261201-102200\.json/);
    const list = await chronokey(['--vault-dir', vault.dir, 'list', '--json', '--password-stdin'], {
      stdin: `${VAULT_PASSWORD}\n`,
    });
    expect(JSON.parse(list.stdout)).toEqual([]);
  }, 60_000);
});
