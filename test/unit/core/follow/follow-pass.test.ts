import { mkdtemp, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../../../../shared/domain';
import type { StoredFollow } from '../../../../shared/follow-state';
import { emptyVaultContent, type VaultContent } from '../../../../shared/vault-content';
import { encryptAegisVault } from '../../../../main/core/backup/aegis-export';
import { runFollowPass, resolveMissing } from '../../../../main/core/follow/follow-pass';
import { newestBackup, timeInName } from '../../../../main/core/follow/newest-backup';
import { importEngines } from '../../../../main/core/import/formats';
import { memoryVault } from '../sync/helpers';
import { makeAccount } from '../vault/helpers/fixtures';

/**
 * Following a phone app's automatic backups: a folder where the test writes successive Aegis
 * encrypted backups (Aegis's documented format, written by Chronokey's Aegis export), a 2FAS
 * backup and an Ente export; additions, renames, removals, a counter advance, a half-written file
 * and a wrong password.
 */

const PASSWORD = 'phone backup password';
let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(os.tmpdir(), 'chronokey-follow-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function follow(password: string | null = PASSWORD, dir = folder): StoredFollow {
  return {
    id: '0123456789abcdef',
    folder: dir,
    password,
    file: null,
    backupAt: null,
    fileStamp: null,
    seen: {},
    missing: [],
    kept: [],
    last: null,
  };
}

function vaultFollowing(stored: StoredFollow, accounts: Account[] = []) {
  const content: VaultContent = { ...emptyVaultContent(), accounts, follows: [stored] };
  return memoryVault(content);
}

const phone = {
  github: makeAccount('p1', {
    issuer: 'GitHub',
    account: 'ann',
    secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    tags: ['Work'],
  }),
  mail: makeAccount('p2', {
    issuer: 'Mail',
    account: 'ann',
    secret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU',
    tags: [],
  }),
  bank: makeAccount('p3', {
    type: 'hotp',
    issuer: 'Bank',
    account: 'ann',
    secret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U',
    counter: 3,
    tags: [],
  }),
  shop: makeAccount('p4', {
    issuer: 'Shop',
    account: 'ann',
    secret: 'ONSWG4TFOQQGC3TEEBXW42LPNYQGC2LS',
    tags: [],
  }),
};

/** An Aegis automatic backup named as Aegis names them, made `agoMs` ago. */
async function aegisBackup(
  stamp: string,
  accounts: Account[],
  agoMs = 10 * 60_000,
): Promise<string> {
  const name = `aegis-backup-${stamp}.json`;
  const path = join(folder, name);
  await writeFile(path, await encryptAegisVault(accounts, PASSWORD));
  const when = new Date(Date.now() - agoMs);
  await utimes(path, when, when);
  return name;
}

const deps = (vault: ReturnType<typeof memoryVault>) => ({
  vault,
  engines: importEngines,
  clock: { now: () => Date.now() },
});
const names = (vault: ReturnType<typeof memoryVault>) =>
  vault.current.accounts.map((a) => `${a.issuer}:${a.account}`);

describe('following an app’s automatic backups', () => {
  it('adds, updates and asks about what the phone removed, across successive Aegis backups', async () => {
    const vault = vaultFollowing(follow());
    await aegisBackup('20261201-102200', [phone.github, phone.mail, phone.bank]);
    const first = await runFollowPass(deps(vault), '0123456789abcdef');
    expect(first).toMatchObject({
      file: 'aegis-backup-20261201-102200.json',
      app: 'Aegis vault (encrypted)',
      added: 3,
      changed: 0,
      missing: 0,
      problem: null,
    });
    expect(names(vault)).toEqual(['GitHub:ann', 'Mail:ann', 'Bank:ann']);
    expect(first.backupAt).toBe(timeInName('aegis-backup-20261201-102200.json'));

    // The same backup again: nothing read, nothing written.
    const writes = vault.writes;
    await runFollowPass(deps(vault), '0123456789abcdef');
    expect(vault.writes).toBe(writes);

    // An hour later the phone renamed GitHub, dropped Mail, used Bank twice and added Shop.
    await aegisBackup('20261201-112200', [
      { ...phone.github, account: 'ann.b', tags: ['Work', 'Code'] },
      { ...phone.bank, counter: 5 },
      phone.shop,
    ]);
    const second = await runFollowPass(deps(vault), '0123456789abcdef');
    expect(second).toMatchObject({
      file: 'aegis-backup-20261201-112200.json',
      added: 1,
      changed: 2,
      missing: 1,
    });
    expect(names(vault)).toEqual(['GitHub:ann.b', 'Mail:ann', 'Bank:ann', 'Shop:ann']);
    expect(vault.current.accounts[0]!.tags).toEqual(['Work', 'Code']);
    expect(vault.current.accounts[2]!.counter).toBe(5);
    const stored = vault.current.follows![0]!;
    expect(stored.missing.map((key) => stored.seen[key]!.label)).toEqual(['Mail:ann']);

    // "Keep": Mail stays and is not asked about again.
    await vault.update((draft) => resolveMissing(draft, '0123456789abcdef', false));
    await aegisBackup('20261201-122200', [
      { ...phone.github, account: 'ann.b', tags: ['Work', 'Code'] },
      { ...phone.bank, counter: 5 },
      phone.shop,
    ]);
    const third = await runFollowPass(deps(vault), '0123456789abcdef');
    expect(third).toMatchObject({ added: 0, changed: 0, missing: 0 });
    expect(names(vault)).toContain('Mail:ann');
  });

  it('keeps a rename made here when the phone did not change that name', async () => {
    const vault = vaultFollowing(follow());
    await aegisBackup('20261201-102200', [phone.github]);
    await runFollowPass(deps(vault), '0123456789abcdef');
    await vault.update((draft) => {
      draft.accounts[0]!.issuer = 'GitHub (work)';
    });
    await aegisBackup('20261201-112200', [phone.github, phone.shop]);
    await runFollowPass(deps(vault), '0123456789abcdef');
    expect(names(vault)).toEqual(['GitHub (work):ann', 'Shop:ann']);
  });

  it('"Remove" removes the accounts the phone no longer has', async () => {
    const vault = vaultFollowing(follow());
    await aegisBackup('20261201-102200', [phone.github, phone.mail]);
    await runFollowPass(deps(vault), '0123456789abcdef');
    await aegisBackup('20261201-112200', [phone.github]);
    await runFollowPass(deps(vault), '0123456789abcdef');
    const removed = await vault.update((draft) => resolveMissing(draft, '0123456789abcdef', true));
    expect(removed).toBe(1);
    expect(names(vault)).toEqual(['GitHub:ann']);
  });

  it('links accounts already in the vault instead of adding them twice', async () => {
    const vault = vaultFollowing(follow(), [{ ...phone.github, id: 'mine', issuer: 'My GitHub' }]);
    await aegisBackup('20261201-102200', [phone.github, phone.mail]);
    const result = await runFollowPass(deps(vault), '0123456789abcdef');
    expect(result).toMatchObject({ added: 1, changed: 0 });
    expect(names(vault)).toEqual(['My GitHub:ann', 'Mail:ann']);
  });

  it('waits for a half-written backup instead of calling it damaged, then reads it whole', async () => {
    const vault = vaultFollowing(follow());
    await aegisBackup('20261201-102200', [phone.github]);
    await runFollowPass(deps(vault), '0123456789abcdef');
    const before = structuredClone(vault.current.accounts);
    // The sync engine is still copying the next one in: cut short, and written just now.
    const name = await aegisBackup('20261201-112200', [phone.github, phone.shop], 10_000);
    const whole = await import('node:fs/promises').then((fs) => fs.readFile(join(folder, name)));
    await truncate(join(folder, name), Math.floor(whole.length / 2));
    const now = new Date(Date.now() - 10_000);
    await utimes(join(folder, name), now, now);
    const waiting = await runFollowPass(deps(vault), '0123456789abcdef');
    expect(waiting).toMatchObject({ waiting: true, problem: null, file: name });
    expect(vault.current.accounts).toEqual(before);
    // Complete: read on the next pass.
    await writeFile(join(folder, name), whole);
    const old = new Date(Date.now() - 5 * 60_000);
    await utimes(join(folder, name), old, old);
    expect(await runFollowPass(deps(vault), '0123456789abcdef')).toMatchObject({
      waiting: false,
      added: 1,
    });
  });

  it('reports a wrong password once, with the file name, and changes nothing', async () => {
    const vault = vaultFollowing(follow('not the phone password'));
    const name = await aegisBackup('20261201-102200', [phone.github]);
    const result = await runFollowPass(deps(vault), '0123456789abcdef');
    expect(result.problem?.code).toBe('IMPORT_WRONG_PASSWORD');
    expect(result.problem?.message).toContain(name);
    expect(vault.current.accounts).toEqual([]);
    const writes = vault.writes;
    expect(await runFollowPass(deps(vault), '0123456789abcdef')).toEqual(result);
    expect(vault.writes).toBe(writes);
  });

  it('reports a damaged backup (old enough to be whole) and an empty folder clearly', async () => {
    const vault = vaultFollowing(follow());
    expect((await runFollowPass(deps(vault), '0123456789abcdef')).problem?.code).toBe(
      'FOLLOW_NO_BACKUP',
    );
    // Reported once: the next pass finds the same and writes nothing (no new report to show).
    const writes = vault.writes;
    const again = await runFollowPass(deps(vault), '0123456789abcdef');
    expect(again.problem?.code).toBe('FOLLOW_NO_BACKUP');
    expect(vault.writes).toBe(writes);
    const path = join(folder, 'aegis-backup-20261201-102200.json');
    await writeFile(path, '{"version": 1, "header": {"slots": [], "params": null}, "db": ');
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(path, old, old);
    const result = await runFollowPass(deps(vault), '0123456789abcdef');
    expect(result.problem?.code).toMatch(/^IMPORT_MALFORMED/);
    expect(result.waiting).toBe(false);
    expect(vault.current.accounts).toEqual([]);
  });

  it('follows a 2FAS backup and an Ente export as well', async () => {
    const twoFas = {
      services: [
        {
          name: 'GitHub',
          secret: phone.github.secret,
          otp: { account: 'ann', digits: 6, period: 30, algorithm: 'SHA1', tokenType: 'TOTP' },
          order: { position: 0 },
        },
      ],
      groups: [],
      schemaVersion: 4,
    };
    await writeFile(join(folder, '2fas-backup-20261201102200.2fas'), JSON.stringify(twoFas));
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(join(folder, '2fas-backup-20261201102200.2fas'), old, old);
    const vault = vaultFollowing(follow(null));
    expect(await runFollowPass(deps(vault), '0123456789abcdef')).toMatchObject({
      app: '2FAS backup',
      added: 1,
    });

    const ente = await mkdtemp(join(os.tmpdir(), 'chronokey-follow-ente-'));
    try {
      const path = join(ente, 'ente-auth-codes-2026-12-01.txt');
      await writeFile(
        path,
        `otpauth://totp/Mail:ann?secret=${phone.mail.secret}&issuer=Mail&codeDisplay=%7B%22tags%22%3A%5B%22Home%22%5D%7D\n`,
      );
      await utimes(path, old, old);
      const enteVault = vaultFollowing(follow(null, ente));
      expect(await runFollowPass(deps(enteVault), '0123456789abcdef')).toMatchObject({ added: 1 });
      expect(enteVault.current.accounts[0]).toMatchObject({ issuer: 'Mail', tags: ['Home'] });
    } finally {
      await rm(ente, { recursive: true, force: true });
    }
  });
});

describe('the newest backup in a folder', () => {
  const file = (name: string, mtimeMs = 1_000, size = 10) => ({ name, mtimeMs, size });
  it('goes by the time in the app’s file names, then by file time', () => {
    expect(
      newestBackup([
        file('aegis-backup-20261201-102200.json', 5_000),
        file('aegis-backup-20261202-090000.json', 1_000),
      ])?.name,
    ).toBe('aegis-backup-20261202-090000.json');
    expect(
      newestBackup([
        file('otp_accounts_2026-12-01_10-22-00.json.aes'),
        file('otp_accounts_2026-12-01_10-23-00.json.aes'),
      ])?.name,
    ).toBe('otp_accounts_2026-12-01_10-23-00.json.aes');
    expect(newestBackup([file('aegis.json', 1), file('aegis.json.bak', 2)])?.name).toBe(
      'aegis.json.bak',
    );
  });
  it('never picks temp, partial, empty or unrelated files', () => {
    expect(
      newestBackup([
        file('.syncthing.aegis-backup-20261203-000000.json.tmp'),
        file('aegis-backup-20261203-000000.json.part'),
        file('~aegis.json'),
        file('photo.jpg'),
        file('aegis-backup-20261204-000000.json', 1, 0),
      ]),
    ).toBeNull();
  });
});
