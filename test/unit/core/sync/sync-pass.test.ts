import { copyFile, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MASS_REMOVAL_COUNT } from '../../../../main/core/sync/sync-pass';
import {
  changeSyncPassword,
  leaveSync,
  removeDevice,
  takeNewKey,
} from '../../../../main/core/sync/sync-admin';
import type { VaultFs } from '../../../../main/core/vault/vault-fs';
import { nodeVaultFs } from '../../../../main/core/vault/vault-fs';
import {
  SYNC_PASSWORD,
  TestDevice,
  filesUnder,
  ids,
  removeFolder,
  secretFor,
  tempFolder,
} from './helpers';

const DAY = 24 * 60 * 60 * 1000;

describe('sync passes through a shared folder', () => {
  let folder: string;
  let devicesDir: string;
  const time = { now: 1_764_590_400_000 };
  let laptop: TestDevice;
  let desktop: TestDevice;

  beforeEach(async () => {
    folder = await tempFolder();
    devicesDir = join(folder, 'Chronokey Sync', 'devices');
    time.now = 1_764_590_400_000;
    laptop = new TestDevice('Laptop', time);
    desktop = new TestDevice('Desktop', time);
    await laptop.setUp(folder);
    await desktop.join(folder);
  });
  afterEach(() => removeFolder(folder));

  const tick = (ms = 1000) => void (time.now += ms);

  it("brings one device's accounts to the other and says where they came from", async () => {
    await laptop.add('a1', 'a2');
    const first = await laptop.pass();
    expect(first.wroteReplica).toBe(true);
    tick();
    const second = await desktop.pass();
    expect(ids(desktop.accounts)).toEqual(['a1', 'a2']);
    expect(second.changes?.added.map((change) => second.names[change.device])).toEqual([
      'Laptop',
      'Laptop',
    ]);
    expect(desktop.accounts[0]).toMatchObject({ issuer: 'Issuer a1', secret: secretFor('a1') });
  });

  it('writes nothing when nothing changed (no vault write, no replica write)', async () => {
    await laptop.add('a1');
    await laptop.pass();
    await desktop.pass();
    await laptop.pass();
    const writes = laptop.vault.writes;
    const before = await readdir(devicesDir);
    tick(60_000);
    const again = await laptop.pass();
    expect(again).toMatchObject({ wroteVault: false, wroteReplica: false });
    expect(laptop.vault.writes).toBe(writes);
    expect(await readdir(devicesDir)).toEqual(before);
  });

  it('keeps both devices\u2019 edits to different fields and the newest edit of the same field', async () => {
    await laptop.add('a1');
    await laptop.pass();
    await desktop.pass();
    tick();
    await laptop.edit((accounts) => void (accounts[0]!.issuer = 'Renamed on laptop'));
    tick();
    await desktop.edit((accounts) => {
      accounts[0]!.tags = ['work'];
      accounts[0]!.favourite = true;
    });
    tick();
    await desktop.edit((accounts) => void (accounts[0]!.note = 'recovery codes in the safe'));
    await laptop.pass();
    await desktop.pass();
    await laptop.pass();
    for (const device of [laptop, desktop]) {
      expect(device.accounts[0]).toMatchObject({
        issuer: 'Renamed on laptop',
        tags: ['work'],
        favourite: true,
        note: 'recovery codes in the safe',
      });
    }
  });

  it('HOTP counters merge by maximum: a code used on one device is never offered on the other', async () => {
    await laptop.edit((accounts) => accounts.push({ ...newHotp('h1'), counter: 5 }));
    await laptop.pass();
    await desktop.pass();
    await laptop.edit((accounts) => void (accounts[0]!.counter = 9));
    await desktop.edit((accounts) => void (accounts[0]!.counter = 7));
    await laptop.pass();
    await desktop.pass();
    await laptop.pass();
    expect(laptop.accounts[0]!.counter).toBe(9);
    expect(desktop.accounts[0]!.counter).toBe(9);
  });

  it('both devices moving different accounts keep both moves', async () => {
    await laptop.add('a', 'b', 'c', 'd', 'e');
    await laptop.pass();
    await desktop.pass();
    tick();
    // Laptop moves e to the top; desktop moves b to the bottom.
    await laptop.edit((accounts) => accounts.unshift(accounts.pop()!));
    await desktop.edit((accounts) => accounts.push(accounts.splice(1, 1)[0]!));
    await laptop.pass();
    await desktop.pass();
    await laptop.pass();
    const order = ['e', 'a', 'c', 'd', 'b'];
    expect(laptop.accounts.map((account) => account.id)).toEqual(order);
    expect(desktop.accounts.map((account) => account.id)).toEqual(order);
  });

  it('one account for the same secret added on two devices (the older id wins, names merged)', async () => {
    await laptop.add('x');
    tick();
    await desktop.add('y');
    await desktop.edit((accounts) => {
      accounts[0]!.secret = secretFor('x');
      accounts[0]!.issuer = 'Named on desktop';
    });
    await laptop.pass();
    tick();
    const joined = await desktop.pass();
    await laptop.pass();
    expect(joined.changes?.joined).toEqual([{ id: 'y', into: 'x' }]);
    for (const device of [laptop, desktop]) {
      expect(device.accounts.map((account) => [account.id, account.issuer])).toEqual([
        ['x', 'Named on desktop'],
      ]);
    }
  });

  it('a removal reaches the other device; an edit made after it brings the account back and says so', async () => {
    await laptop.add('a1', 'a2', 'a3');
    await laptop.pass();
    await desktop.pass();
    tick();
    await laptop.edit((accounts) => void accounts.splice(0, 1));
    await laptop.pass();
    const removed = await desktop.pass();
    expect(removed.changes?.removed).toEqual([{ id: 'a1', device: expect.any(String) }]);
    expect(ids(desktop.accounts)).toEqual(['a2', 'a3']);

    // An edit made BEFORE a removal does not bring it back.
    tick();
    await laptop.edit((accounts) => void (accounts[0]!.issuer = 'edited before removal'));
    await laptop.pass(); // an edit is stamped when a pass records it (~2 s later in the app)
    tick();
    await desktop.edit((accounts) => void accounts.splice(0, 1));
    await desktop.pass();
    await laptop.pass();
    expect(ids(laptop.accounts)).toEqual(['a3']);

    // Undo on the laptop (a1 back in its vault, newer than the desktop's tombstone): restored.
    tick();
    await laptop.add('a1');
    await laptop.pass();
    const restored = await desktop.pass();
    expect(restored.changes?.restored.map((change) => change.id)).toEqual(['a1']);
    expect(ids(desktop.accounts)).toEqual(['a1', 'a3']);
  });

  it(`asks before removing more than ${MASS_REMOVAL_COUNT} accounts (or more than half) at once`, async () => {
    const all = Array.from({ length: 20 }, (_, index) => `m${index}`);
    await laptop.add(...all);
    await laptop.pass();
    await desktop.pass();
    tick();
    await laptop.edit((accounts) => void accounts.splice(0, 11));
    await laptop.pass();
    const writes = desktop.vault.writes;
    const waiting = await desktop.pass();
    expect(waiting.pending).toMatchObject({ count: 11, total: 20 });
    expect(waiting.changes).toBeNull();
    expect(desktop.vault.writes).toBe(writes);
    expect(desktop.accounts).toHaveLength(20);

    // "Keep them": they come back everywhere.
    await desktop.pass({ keep: waiting.pending!.ids });
    expect(desktop.accounts).toHaveLength(20);
    await laptop.pass();
    expect(laptop.accounts).toHaveLength(20);

    // Confirmed: applied.
    tick();
    await laptop.edit((accounts) => void accounts.splice(0, 11));
    await laptop.pass();
    expect((await desktop.pass()).pending).not.toBeNull();
    const applied = await desktop.pass({ allowRemovals: true });
    expect(applied.changes?.removed).toHaveLength(11);
    expect(desktop.accounts).toHaveLength(9);
  });

  it('never puts a secret, name or issuer in the folder, in any spelling', async () => {
    await laptop.add('a1', 'a2');
    await laptop.edit((accounts) => {
      accounts[0]!.tags = ['finance-tag-word'];
      accounts[0]!.note = 'a private note';
    });
    await laptop.pass();
    await desktop.pass();
    await changeSyncPassword(laptop.deps, 'another long sync password here');
    const needles = [
      ...laptop.accounts.flatMap((account) => [
        account.secret,
        account.secret.toLowerCase(),
        Buffer.from(account.secret).toString('base64'),
        account.issuer,
        account.account,
      ]),
      'finance-tag-word',
      'a private note',
      laptop.vault.current.sync!.key,
      SYNC_PASSWORD,
    ];
    const files = await filesUnder(join(folder, 'Chronokey Sync'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      for (const needle of needles) {
        for (const encoding of ['utf8', 'utf16le', 'latin1'] as const) {
          expect(
            file.bytes.includes(Buffer.from(needle, encoding)),
            `${needle} in ${file.path}`,
          ).toBe(false);
        }
      }
    }
  });

  describe('refused replicas change nothing and are named by device', () => {
    let tablet: TestDevice;
    beforeEach(async () => {
      tablet = new TestDevice('Tablet', time);
      await tablet.join(folder);
      // The tablet first: every replica holds everything its device has merged.
      await tablet.add('t1');
      await tablet.pass();
      await desktop.add('d1');
      await desktop.pass();
    });

    const desktopFile = () => join(devicesDir, `${desktop.vault.current.sync!.deviceId}.ckr`);

    async function expectRefused(reason: string) {
      const outcome = await laptop.pass();
      expect(outcome.refused).toEqual([
        expect.objectContaining({ reason, deviceName: expect.anything() }),
      ]);
      // The other replica still merged; nothing from the refused one did.
      expect(ids(laptop.accounts)).toEqual(['t1']);
      return outcome;
    }

    for (const [label, corrupt] of [
      ['a flipped header byte', (bytes: Buffer) => void (bytes[20] = bytes[20]! ^ 0x01)],
      [
        'a flipped ciphertext byte',
        (bytes: Buffer) => void (bytes[bytes.length - 40] = bytes[bytes.length - 40]! ^ 0x01),
      ],
      [
        'a flipped tag byte',
        (bytes: Buffer) => void (bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x80),
      ],
    ] as const) {
      it(`damaged: ${label}`, async () => {
        const bytes = await readFile(desktopFile());
        corrupt(bytes);
        await writeFile(desktopFile(), bytes);
        const outcome = await laptop.pass();
        expect(outcome.refused).toHaveLength(1);
        expect(['damaged', 'wrong-key']).toContain(outcome.refused[0]!.reason);
        expect(ids(laptop.accounts)).toEqual(['t1']);
      });
    }

    it('truncated at every length names the file and changes nothing', async () => {
      const bytes = await readFile(desktopFile());
      for (const length of [0, 5, 13, 20, 60, bytes.length - 17, bytes.length - 1]) {
        await writeFile(desktopFile(), bytes.subarray(0, length));
        const outcome = await laptop.pass();
        expect(outcome.refused).toHaveLength(1);
        expect(outcome.refused[0]!.file).toBe(`${desktop.vault.current.sync!.deviceId}.ckr`);
      }
      expect(laptop.accounts.map((account) => account.id)).toEqual(['t1']);
    });

    it('a replica of another sync folder', async () => {
      const other = await tempFolder();
      try {
        const stranger = new TestDevice('Stranger', time);
        await stranger.setUp(other);
        await stranger.add('s1');
        await stranger.pass();
        const [name] = await readdir(join(other, 'Chronokey Sync', 'devices'));
        await copyFile(join(other, 'Chronokey Sync', 'devices', name!), desktopFile());
        const outcome = await expectRefused('other-folder');
        expect(outcome.refused[0]!.deviceName).toBe('Stranger');
      } finally {
        await removeFolder(other);
      }
    });

    it('an older copy of a replica put back (a rollback)', async () => {
      await laptop.pass();
      const old = await readFile(desktopFile());
      tick();
      await desktop.add('d2');
      await desktop.pass();
      await laptop.pass();
      expect(ids(laptop.accounts)).toEqual(['d1', 'd2', 't1']);
      await writeFile(desktopFile(), old);
      const outcome = await laptop.pass();
      expect(outcome.refused).toEqual([
        expect.objectContaining({ reason: 'rollback', deviceName: 'Desktop' }),
      ]);
      expect(ids(laptop.accounts)).toEqual(['d1', 'd2', 't1']);
    });

    it('a wrong sync password changes nothing', async () => {
      const stranger = new TestDevice('Stranger', time);
      await expect(stranger.join(folder, 'not the sync password at all')).rejects.toMatchObject({
        code: 'SYNC_WRONG_PASSWORD',
      });
      expect(stranger.vault.current.sync).toBeUndefined();
      expect(stranger.vault.writes).toBe(0);
    });
  });

  it("merges a sync engine's conflicted copies like replicas, then tidies them away", async () => {
    await desktop.add('d1');
    await desktop.pass();
    const id = desktop.vault.current.sync!.deviceId;
    const copies = [
      `${id}.sync-conflict-20261201-120000-ABCDEFG.ckr`,
      `${id} (Laptop's conflicted copy 2026-12-01).ckr`,
      `${id}-LAPTOP.ckr`,
    ];
    await copyFile(join(devicesDir, `${id}.ckr`), join(devicesDir, copies[0]!));
    tick();
    await desktop.add('d2');
    await desktop.pass();
    await copyFile(join(devicesDir, `${id}.ckr`), join(devicesDir, copies[1]!));
    tick();
    await desktop.add('d3');
    await desktop.pass();
    await copyFile(join(devicesDir, `${id}.ckr`), join(devicesDir, copies[2]!));
    // The real file is lost (the engine kept only copies): everything is still merged.
    await rename(join(devicesDir, `${id}.ckr`), join(folder, 'elsewhere.ckr'));
    const outcome = await laptop.pass();
    expect(outcome.refused).toEqual([]);
    expect(ids(laptop.accounts)).toEqual(['d1', 'd2', 'd3']);
    const left = await readdir(devicesDir);
    for (const copy of copies) expect(left).not.toContain(copy);
  });

  it('a clock more than 24 hours ahead does not win, and the report names its device', async () => {
    await laptop.add('a1');
    await laptop.pass();
    await desktop.pass();
    desktop.skew = 3 * DAY;
    await desktop.edit((accounts) => void (accounts[0]!.issuer = 'from the future'));
    await desktop.pass();
    const outcome = await laptop.pass();
    expect(outcome.clockAhead).toEqual([desktop.vault.current.sync!.deviceId]);
    expect(laptop.accounts[0]!.issuer).toBe('Issuer a1');
    // A real edit here later still wins everywhere once the desktop's clock is right again.
    tick();
    await laptop.edit((accounts) => void (accounts[0]!.issuer = 'fixed'));
    await laptop.pass();
    desktop.skew = 0;
    await desktop.pass();
    expect(laptop.accounts[0]!.issuer).toBe('fixed');
  });

  it('removing a device for good replaces the key: the others need the new password, the removed one reads nothing new', async () => {
    const tablet = new TestDevice('Tablet', time);
    await tablet.join(folder);
    await tablet.add('t1');
    await tablet.pass();
    await laptop.pass();
    await desktop.pass();
    const tabletId = tablet.vault.current.sync!.deviceId;
    const tabletFile = join(devicesDir, `${tabletId}.ckr`);
    const tabletBytes = await readFile(tabletFile);
    await expect(
      removeDevice(laptop.deps, { deviceId: tabletId, password: SYNC_PASSWORD }),
    ).rejects.toMatchObject({ code: 'SYNC_PASSWORD_UNCHANGED' });
    const fresh = 'new sync password after the tablet';
    await removeDevice(laptop.deps, { deviceId: tabletId, password: fresh });
    expect(await readdir(devicesDir)).not.toContain(`${tabletId}.ckr`);
    await laptop.add('after');
    await laptop.pass();
    await expect(desktop.pass()).rejects.toMatchObject({ code: 'SYNC_KEY_CHANGED' });
    // The removed tablet stops at the new key: it writes nothing and reads nothing new.
    await tablet.add('t2');
    await expect(tablet.pass()).rejects.toMatchObject({ code: 'SYNC_KEY_CHANGED' });
    expect(ids(tablet.accounts)).toEqual(['t1', 't2']);
    await expect(takeNewKey(desktop.deps, SYNC_PASSWORD)).rejects.toMatchObject({
      code: 'SYNC_WRONG_PASSWORD',
    });
    await takeNewKey(desktop.deps, fresh);
    await desktop.pass();
    expect(ids(desktop.accounts)).toEqual(['after', 't1']);
    // A replica the tablet wrote before (an engine bringing it late) is refused, named.
    await writeFile(tabletFile, tabletBytes);
    const outcome = await laptop.pass();
    expect(outcome.refused).toEqual([
      expect.objectContaining({ reason: 'old-key', deviceName: 'Tablet' }),
    ]);
  });

  it('stopping on one device leaves its accounts and takes its replica out of the folder', async () => {
    await desktop.add('d1');
    await desktop.pass();
    await laptop.pass();
    await leaveSync(desktop.deps);
    expect(desktop.vault.current.sync).toBeUndefined();
    expect(ids(desktop.accounts)).toEqual(['d1']);
    expect(await readdir(devicesDir)).toEqual([`${laptop.vault.current.sync!.deviceId}.ckr`]);
    expect(ids(laptop.accounts)).toEqual(['d1']);
  });

  it('a folder that cannot be read or written is reported, the vault untouched; the next pass succeeds', async () => {
    await laptop.add('a1');
    let failing: string | null = 'EACCES';
    const flaky: VaultFs = {
      ...nodeVaultFs,
      readdir: async (path) => {
        if (failing === 'EACCES') throw Object.assign(new Error('denied'), { code: 'EACCES' });
        return nodeVaultFs.readdir(path);
      },
      open: async (path, flags, mode) => {
        if (failing === 'ENOSPC' && flags === 'wx')
          throw Object.assign(new Error('full'), { code: 'ENOSPC' });
        return nodeVaultFs.open(path, flags, mode);
      },
    };
    const device = new TestDevice('Flaky', time, flaky);
    await device.join(folder);
    await device.add('f1');
    const before = JSON.stringify(device.vault.current.accounts);
    await expect(device.pass()).rejects.toMatchObject({ code: 'SYNC_FOLDER_UNREADABLE' });
    expect(JSON.stringify(device.vault.current.accounts)).toBe(before);
    failing = 'ENOSPC';
    await expect(device.pass()).rejects.toMatchObject({ code: 'SYNC_FOLDER_UNWRITABLE' });
    expect(ids(device.vault.current.accounts)).toEqual(['f1']);
    failing = null;
    const outcome = await device.pass();
    expect(outcome.wroteReplica).toBe(true);
    await laptop.pass();
    expect(ids(laptop.accounts)).toEqual(['a1', 'f1']);
  });

  it('a device back after more than 180 days does not bring back what was removed meanwhile', async () => {
    await laptop.add('a1', 'a2', 'a3');
    await laptop.pass();
    await desktop.pass();
    // The desktop is switched off; a2 is removed on the laptop, and 200 days pass.
    tick();
    await laptop.edit((accounts) => void accounts.splice(1, 1));
    await laptop.pass();
    tick(200 * DAY);
    await laptop.pass(); // tombstone dropped
    expect(Object.keys(laptop.vault.current.sync!.state.accounts).sort()).toEqual(['a1', 'a3']);
    const outcome = await desktop.pass();
    expect(ids(desktop.accounts)).toEqual(['a1', 'a3']);
    expect(outcome.changes?.removed.map((change) => change.id)).toEqual(['a2']);
    await laptop.pass();
    expect(ids(laptop.accounts)).toEqual(['a1', 'a3']);
  });
});

function newHotp(id: string) {
  return {
    id,
    type: 'hotp' as const,
    issuer: 'Bank',
    account: 'me',
    secret: secretFor(id),
    algorithm: 'SHA1' as const,
    digits: 6,
    period: 30,
    counter: 0,
    tags: [],
    favourite: false,
    createdAt: 1_700_000_000_000,
    lastUsedAt: null,
    warnings: [],
  };
}
