import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AutoBackupStatus, Handlers } from '../../../../shared/contract';
import { decryptBackup } from '../../../../main/core/backup/backup-format';
import { createHandlers } from '../../../../main/core/handlers';
import { VaultSession } from '../../../../main/core/session';
import { createMemoryKeychain } from '../../../../main/core/vault/keychain';
import { manualTime } from '../../support/manual-time';

const LINK = (n: number) =>
  `otpauth://totp/Example:user${n}?secret=JBSWY3DPEHPK3PXP${'A'.repeat(n % 8)}&issuer=Example`;
const PASSWORD = 'harbor velvet quartz meadow';

describe('automatic backups through the handler table', () => {
  let dir: string;
  let folder: string;
  let time: ReturnType<typeof manualTime>;
  let handlers: Handlers;
  let events: AutoBackupStatus[];
  /** What the person picks in main's folder dialog. */
  let chosen: string | null;

  /** Waits until `count` automatic backups have reported (file work is slower on a busy machine). */
  async function reported(count: number) {
    await vi.waitFor(() => expect(events.length).toBeGreaterThanOrEqual(count), {
      timeout: 10_000,
    });
  }

  /** The folder comes from main's dialog, the rest from the window's settings. */
  async function switchOn(schedule: 'on-change' | 'daily', keep: number) {
    await handlers['backup.chooseFolder']();
    await handlers['settings.update']({ autoBackup: { schedule, keep } });
  }

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-auto-'));
    folder = path.join(dir, 'backups');
    mkdirSync(folder);
    time = manualTime(1_700_000_000_000, 50);
    events = [];
    const session = new VaultSession(
      { dir: path.join(dir, 'vault'), keychain: createMemoryKeychain() },
      time.clock,
    );
    handlers = createHandlers({
      session,
      clock: time.clock,
      timers: time.timers,
      events: {
        emit: (name, payload) =>
          void (name === 'backup.auto' && events.push(payload as AutoBackupStatus)),
      },
      autoBackup: {},
      folderDialog: { chooseFolder: async () => chosen },
    });
    chosen = folder;
    await handlers['vault.create']({ useKeychain: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is off by default and writes nothing', async () => {
    expect((await handlers['settings.get']()).autoBackup).toEqual({
      schedule: 'off',
      folder: null,
      keep: 10,
    });
    await handlers['accounts.add']({ uri: LINK(1) });
    await time.advance(60_000);
    expect(readdirSync(folder)).toEqual([]);
    expect(await handlers['backup.autoStatus']()).toEqual({ hasPassword: false, last: null });
  });

  it('backs up after changes (debounced), keeps the newest N, and the files open with the password', async () => {
    await switchOn('on-change', 2);
    expect((await handlers['backup.setAutoPassword']({ password: PASSWORD })).hasPassword).toBe(
      true,
    );
    for (let n = 1; n <= 4; n++) {
      await handlers['accounts.add']({ uri: LINK(n) });
      await time.advance(1_000);
      await handlers['accounts.update']({
        id: (await handlers['accounts.list']())[0]!.id,
        changes: { favourite: n % 2 === 1 },
      });
      await time.advance(6_000);
      await reported(n);
    }
    const names = readdirSync(folder).sort();
    expect(names).toHaveLength(2);
    const newest = await decryptBackup(
      readFileSync(path.join(folder, names[1]!)),
      PASSWORD,
      names[1]!,
    );
    expect(newest.accounts).toHaveLength(4);
    expect(events.at(-1)?.last).toMatchObject({ ok: true, accounts: 4 });
    // The key lives inside the vault; no secret reaches the status the window sees.
    expect(JSON.stringify(await handlers['backup.autoStatus']())).not.toContain(PASSWORD);
  });

  it('reports a failure to write (never hidden), and stops on lock', async () => {
    await switchOn('on-change', 3);
    await handlers['backup.setAutoPassword']({ password: PASSWORD });
    rmSync(folder, { recursive: true });
    await handlers['accounts.add']({ uri: LINK(1) });
    await time.advance(6_000);
    // The failed write is reported once its file work is done (slower on a busy machine).
    await vi.waitFor(() => expect(events.at(-1)?.last).toMatchObject({ ok: false }), {
      timeout: 10_000,
    });
    const count = events.length;
    await handlers['accounts.add']({ uri: LINK(2) });
    await handlers['vault.lock']();
    await time.advance(60_000);
    expect(events).toHaveLength(count);
  });

  it('runs daily once switched on, and on request', async () => {
    await handlers['backup.setAutoPassword']({ password: PASSWORD });
    await switchOn('daily', 10);
    await time.advance(6_000);
    await reported(1);
    expect(readdirSync(folder)).toHaveLength(1);
    await time.advance(24 * 60 * 60 * 1000);
    await reported(2);
    expect(readdirSync(folder)).toHaveLength(2);
    await time.advance(1_000);
    const status = await handlers['backup.runNow']();
    expect(status.last).toMatchObject({ ok: true });
    expect(readdirSync(folder)).toHaveLength(3);
  });

  it("only main's folder dialog sets the folder: the window cannot name one", async () => {
    const elsewhere = path.join(dir, 'attacker');
    mkdirSync(elsewhere);
    await handlers['settings.update']({
      autoBackup: { schedule: 'on-change', keep: 1, folder: elsewhere } as never,
    });
    expect((await handlers['settings.get']()).autoBackup.folder).toBeNull();
    chosen = null; // the person cancels the dialog
    expect(await handlers['backup.chooseFolder']()).toBeNull();
    expect((await handlers['settings.get']()).autoBackup.folder).toBeNull();
    chosen = folder;
    expect((await handlers['backup.chooseFolder']())?.autoBackup.folder).toBe(folder);
    await handlers['backup.setAutoPassword']({ password: PASSWORD });
    await handlers['accounts.add']({ uri: LINK(1) });
    await time.advance(6_000);
    await reported(1);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readdirSync(folder)).toHaveLength(1);
  });

  it('setting the backup password needs the master password when the vault has one', async () => {
    await handlers['vault.setPassword']({ password: 'harbor velvet quartz meadow tide' });
    await expect(handlers['backup.setAutoPassword']({ password: PASSWORD })).rejects.toMatchObject({
      code: 'VAULT_CURRENT_PASSWORD_REQUIRED',
    });
    await expect(
      handlers['backup.setAutoPassword']({ password: PASSWORD, vaultPassword: 'guess' }),
    ).rejects.toMatchObject({ code: 'VAULT_WRONG_PASSWORD' });
    expect((await handlers['backup.autoStatus']()).hasPassword).toBe(false);
    const status = await handlers['backup.setAutoPassword']({
      password: PASSWORD,
      vaultPassword: 'harbor velvet quartz meadow tide',
    });
    expect(status.hasPassword).toBe(true);
  });
});
