import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload, Handlers, SyncStatus } from '../../../../shared/contract';
import { createHandlers } from '../../../../main/core/handlers';
import { VaultSession } from '../../../../main/core/session';
import { createMemoryKeychain } from '../../../../main/core/vault/keychain';
import type { VaultFs } from '../../../../main/core/vault/vault-fs';
import { nodeVaultFs } from '../../../../main/core/vault/vault-fs';
import { manualTime } from '../../support/manual-time';
import { SYNC_PASSWORD } from './helpers';

/**
 * When passes run in the app (on unlock, ~2 s after a change, on folder events, every 5
 * minutes, 30 s after a failure; never while locked) and what the window is told, through the
 * real handler table and a real vault.
 */

const LINK = (n: number) =>
  `otpauth://totp/Site${n}:me?secret=${['JBSWY3DPEHPK3PXP', 'GEZDGNBVGY3TQOJQ', 'MFRGGZDFMZTWQ2LK', 'KRSXG5CTMVRXEZLU'][n]}&issuer=Site${n}`;

interface App {
  handlers: Handlers;
  events: SyncStatus[];
  watched: { folder: string; onChange: () => void; closed: boolean }[];
  session: VaultSession;
}

describe('sync in the app', () => {
  let root: string;
  let folder: string;
  let time: ReturnType<typeof manualTime>;
  let failing: string | null;

  const flakyFs: VaultFs = {
    ...nodeVaultFs,
    readFile: async (file) => {
      if (failing && file.includes('Chronokey Sync')) {
        throw Object.assign(new Error('no'), { code: failing });
      }
      return nodeVaultFs.readFile(file);
    },
  };

  async function app(name: string): Promise<App> {
    const session = new VaultSession(
      { dir: path.join(root, name), keychain: createMemoryKeychain() },
      time.clock,
    );
    const events: SyncStatus[] = [];
    const watched: App['watched'] = [];
    const handlers = createHandlers({
      session,
      clock: time.clock,
      timers: time.timers,
      folderDialog: { chooseFolder: async () => folder },
      events: {
        emit<E extends EventName>(event: E, payload: EventPayload<E>) {
          if (event === 'sync.status') events.push(payload as SyncStatus);
        },
      },
      sync: {
        fs: flakyFs,
        hostname: () => `${name}-host`,
        watch: async (watchedFolder, onChange) => {
          const entry = { folder: watchedFolder, onChange, closed: false };
          watched.push(entry);
          return { close: async () => void (entry.closed = true) };
        },
      },
    });
    await handlers['vault.create']({ useKeychain: true });
    return { handlers, events, watched, session };
  }

  /** Lets background passes (file work) finish. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 40; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'chronokey-sync-service-'));
    folder = path.join(root, 'Dropbox');
    time = manualTime(1_764_590_400_000, 20);
    failing = null;
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function setUpPair(): Promise<[App, App]> {
    const laptop = await app('laptop');
    const desktop = await app('desktop');
    expect(await laptop.handlers['sync.status']()).toMatchObject({
      state: 'off',
      suggestedDeviceName: 'laptop-host',
    });
    await laptop.handlers['sync.chooseFolder']({ purpose: 'setup' });
    await laptop.handlers['sync.setup']({ password: SYNC_PASSWORD, deviceName: 'Laptop' });
    expect(await desktop.handlers['sync.chooseFolder']({ purpose: 'join' })).toEqual({
      path: path.join(folder, 'Chronokey Sync'),
      holdsSync: true,
    });
    await desktop.handlers['sync.join']({ password: SYNC_PASSWORD, deviceName: 'Desktop' });
    return [laptop, desktop];
  }

  it('sets up, joins, and tells each window about the other device', async () => {
    const [laptop, desktop] = await setUpPair();
    await laptop.handlers['sync.now']();
    const status = await desktop.handlers['sync.status']();
    expect(status).toMatchObject({
      state: 'idle',
      folder: path.join(folder, 'Chronokey Sync'),
      deviceName: 'Desktop',
    });
    expect(
      (await laptop.handlers['sync.status']()).devices.map((d) => [d.name, d.thisDevice]),
    ).toEqual([
      ['Laptop', true],
      ['Desktop', false],
    ]);
    expect(laptop.watched.map((w) => w.folder)).toEqual([path.join(folder, 'Chronokey Sync')]);
  });

  it('refuses a weak sync password and a folder that already holds sync', async () => {
    const laptop = await app('laptop');
    await laptop.handlers['sync.chooseFolder']({ purpose: 'setup' });
    await expect(
      laptop.handlers['sync.setup']({ password: 'abc', deviceName: 'Laptop' }),
    ).rejects.toMatchObject({
      code: 'PASSWORD_TOO_WEAK',
    });
    await laptop.handlers['sync.setup']({ password: SYNC_PASSWORD, deviceName: 'Laptop' });
    const other = await app('other');
    await other.handlers['sync.chooseFolder']({ purpose: 'setup' });
    await expect(
      other.handlers['sync.setup']({ password: SYNC_PASSWORD, deviceName: 'Other' }),
    ).rejects.toMatchObject({ code: 'SYNC_FOLDER_IN_USE' });
  });

  it('a change syncs about 2 s later; a folder event half a second later; nothing while locked', async () => {
    const [laptop, desktop] = await setUpPair();
    await laptop.handlers['accounts.add']({ uri: LINK(0) });
    await time.advance(1000);
    await settle();
    expect(await desktop.handlers['accounts.list']()).toHaveLength(0);
    await time.advance(1100);
    await settle();
    // The laptop wrote its replica; the desktop hears of it from its watcher.
    desktop.watched[0]!.onChange();
    await time.advance(600);
    await settle();
    await time.advance(1100); // desktop's content cache
    expect((await desktop.handlers['accounts.list']()).map((a) => a.issuer)).toEqual(['Site0']);
    const last = desktop.events.at(-1)!;
    expect(last.last?.added).toEqual([{ device: 'Laptop', count: 1 }]);
    // The event after a pass says it is over (the window's indicator showed "Syncing…" forever).
    expect(last.state).toBe('idle');

    await desktop.handlers['vault.lock']();
    expect(desktop.watched[0]!.closed).toBe(true);
    const eventsWhileLocked = desktop.events.length;
    await laptop.handlers['accounts.add']({ uri: LINK(1) });
    await time.advance(10 * 60 * 1000);
    await settle();
    expect(desktop.events.length).toBe(eventsWhileLocked);
    await desktop.handlers['vault.unlock']({});
    await settle();
    await time.advance(1100);
    expect(await desktop.handlers['accounts.list']()).toHaveLength(2);
  });

  it('every 5 minutes without any event (network drives)', async () => {
    const [laptop, desktop] = await setUpPair();
    await laptop.handlers['accounts.add']({ uri: LINK(2) });
    await time.advance(2100);
    await settle();
    await time.advance(5 * 60 * 1000);
    await settle();
    await time.advance(1100);
    expect(await desktop.handlers['accounts.list']()).toHaveLength(1);
  });

  it('a folder that cannot be read is reported and retried 30 s later; the vault is untouched', async () => {
    const [laptop] = await setUpPair();
    await laptop.handlers['accounts.add']({ uri: LINK(3) });
    failing = 'EACCES';
    const status = await laptop.handlers['sync.now']();
    expect(status).toMatchObject({ state: 'problem', problem: { code: 'SYNC_FOLDER_UNREADABLE' } });
    expect(await laptop.handlers['accounts.list']()).toHaveLength(1);
    failing = null;
    await time.advance(30_000);
    await settle();
    expect(await laptop.handlers['sync.status']()).toMatchObject({ state: 'idle', problem: null });
  });

  it('removals above the threshold wait in the window until the person decides', async () => {
    const [laptop, desktop] = await setUpPair();
    for (let n = 0; n < 3; n += 1) await laptop.handlers['accounts.add']({ uri: LINK(n) });
    await laptop.handlers['sync.now']();
    await desktop.handlers['sync.now']();
    const list = await laptop.handlers['accounts.list']();
    await time.advance(1000);
    for (const account of list.slice(0, 2))
      await laptop.handlers['accounts.remove']({ id: account.id });
    await laptop.handlers['sync.now']();
    const waiting = await desktop.handlers['sync.now']();
    expect(waiting).toMatchObject({
      state: 'waiting',
      pending: { count: 2, total: 3, devices: ['Laptop'], accounts: ['Site0:me', 'Site1:me'] },
    });
    expect(await desktop.handlers['accounts.list']()).toHaveLength(3);
    const applied = await desktop.handlers['sync.resolveRemovals']({ apply: true });
    expect(applied).toMatchObject({ state: 'idle', pending: null });
    expect(await desktop.handlers['accounts.list']()).toHaveLength(1);
    await expect(desktop.handlers['sync.resolveRemovals']({ apply: true })).rejects.toMatchObject({
      code: 'SYNC_NOTHING_PENDING',
    });
  });

  it('stopping on this device forgets the folder, keeps the accounts and closes the watcher', async () => {
    const [laptop] = await setUpPair();
    await laptop.handlers['accounts.add']({ uri: LINK(0) });
    await laptop.handlers['sync.now']();
    expect(await laptop.handlers['sync.leave']()).toMatchObject({ state: 'off' });
    expect(await laptop.handlers['accounts.list']()).toHaveLength(1);
    expect(laptop.watched[0]!.closed).toBe(true);
  });
});
