import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload, FollowStatus, Handlers } from '../../../../shared/contract';
import { createHandlers } from '../../../../main/core/handlers';
import { VaultSession } from '../../../../main/core/session';
import { createMemoryKeychain } from '../../../../main/core/vault/keychain';
import { manualTime } from '../../support/manual-time';

/**
 * When follow passes run in the app (on adding, on folder events, every 5 minutes, soon again
 * while a backup is still arriving; never while locked) and what the window is told, through the
 * real handler table, a real vault and a real folder.
 */

const START = 1_764_590_400_000;
const GITHUB = { name: 'GitHub', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', account: 'ann' };
const MAIL = { name: 'Mail', secret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU', account: 'ann' };

describe('following backups in the app', () => {
  let root: string;
  let folder: string;
  let time: ReturnType<typeof manualTime>;
  let handlers: Handlers;
  let session: VaultSession;
  let events: FollowStatus[];
  let watched: Array<{ folder: string; onChange: () => void; closed: boolean }>;

  /** A 2FAS backup whose file time is `ageMs` before the test clock. */
  function backup(name: string, services: (typeof GITHUB)[], ageMs = 10 * 60_000): void {
    const file = path.join(folder, name);
    writeFileSync(
      file,
      JSON.stringify({
        services: services.map((service) => ({
          name: service.name,
          secret: service.secret,
          otp: { account: service.account, tokenType: 'TOTP' },
        })),
        schemaVersion: 4,
      }),
    );
    const when = new Date(time.clock.now() - ageMs);
    utimesSync(file, when, when);
  }

  const accountNames = async () =>
    (await handlers['accounts.list']()).map((account) => `${account.issuer}:${account.account}`);

  beforeEach(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'chronokey-follow-service-'));
    folder = path.join(root, 'Phone backups');
    mkdirSync(folder);
    time = manualTime(START, 20);
    events = [];
    watched = [];
    session = new VaultSession(
      { dir: path.join(root, 'vault'), keychain: createMemoryKeychain() },
      time.clock,
    );
    handlers = createHandlers({
      session,
      clock: time.clock,
      timers: time.timers,
      folderDialog: { chooseFolder: async () => folder },
      events: {
        emit<E extends EventName>(event: E, payload: EventPayload<E>) {
          if (event === 'follow.status') events.push(payload as FollowStatus);
        },
      },
      follow: {
        watch: async (watchedFolder, onChange) => {
          const entry = { folder: watchedFolder, onChange, closed: false };
          watched.push(entry);
          return { close: async () => void (entry.closed = true) };
        },
      },
    });
    await handlers['vault.create']({ useKeychain: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads the folder when it is added, then when it changes, and tells the window', async () => {
    backup('2fas-backup-20251201102200.2fas', [GITHUB]);
    expect(await handlers['follow.chooseFolder']()).toEqual({ path: folder });
    const added = await handlers['follow.add']({});
    expect(added.follows).toEqual([
      expect.objectContaining({
        folder,
        hasPassword: false,
        last: expect.objectContaining({ app: '2FAS backup', added: 1 }),
      }),
    ]);
    expect(await accountNames()).toEqual(['GitHub:ann']);
    expect(watched.map((entry) => entry.folder)).toEqual([folder]);

    backup('2fas-backup-20251201112200.2fas', [GITHUB, MAIL]);
    watched[0]!.onChange();
    await time.advance(500);
    expect(await accountNames()).toEqual(['GitHub:ann']); // debounced: 1 s after the event
    await time.advance(600);
    expect(await accountNames()).toEqual(['GitHub:ann', 'Mail:ann']);
    expect(events.at(-1)!.follows[0]!.last).toMatchObject({
      file: '2fas-backup-20251201112200.2fas',
      added: 1,
    });
  });

  it('tries a backup still being copied in again 10 s later, and every 5 minutes after', async () => {
    backup('2fas-backup-20251201102200.2fas', [GITHUB]);
    await handlers['follow.chooseFolder']();
    await handlers['follow.add']({});
    // A newer backup arrives half-written, just now.
    const file = path.join(folder, '2fas-backup-20251201112200.2fas');
    writeFileSync(file, '{"services": [{"name": "Mail", "secr');
    // Written 5 s before the 5-minute pass runs.
    const written = new Date(time.clock.now() + 5 * 60_000 - 5_000);
    utimesSync(file, written, written);
    await time.advance(5 * 60_000);
    expect(events.at(-1)!.follows[0]!.last).toMatchObject({ waiting: true, problem: null });
    // Whole a moment later, under the same name.
    backup('2fas-backup-20251201112200.2fas', [GITHUB, MAIL], -5_000);
    await time.advance(10_000);
    expect(events.at(-1)!.follows[0]!.last).toMatchObject({ waiting: false, added: 1 });
    expect(await accountNames()).toEqual(['GitHub:ann', 'Mail:ann']);
  });

  it('runs nothing while locked, and closes the watchers', async () => {
    backup('2fas-backup-20251201102200.2fas', [GITHUB]);
    await handlers['follow.chooseFolder']();
    await handlers['follow.add']({});
    await handlers['vault.lock']();
    expect(watched[0]!.closed).toBe(true);
    const before = events.length;
    await time.advance(10 * 60_000);
    expect(events.length).toBe(before);
  });

  it('reads the folders again on unlock', async () => {
    backup('2fas-backup-20251201102200.2fas', [GITHUB]);
    await handlers['follow.chooseFolder']();
    await handlers['follow.add']({});
    await handlers['vault.lock']();
    backup('2fas-backup-20251201112200.2fas', [GITHUB, MAIL]);
    await handlers['vault.unlock']({});
    await time.advance(0); // the pass runs in the background, without holding up the unlock
    expect(await accountNames()).toEqual(['GitHub:ann', 'Mail:ann']);
    expect(watched.filter((entry) => !entry.closed).map((entry) => entry.folder)).toEqual([folder]);
  });

  it('asks before removing what the phone removed; Remove goes through the vault', async () => {
    backup('2fas-backup-20251201102200.2fas', [GITHUB, MAIL]);
    await handlers['follow.chooseFolder']();
    const { follows } = await handlers['follow.add']({});
    backup('2fas-backup-20251201112200.2fas', [GITHUB]);
    const after = await handlers['follow.now']();
    expect(after.follows[0]).toMatchObject({ missing: ['Mail:ann'], missingCount: 1 });
    expect(await accountNames()).toEqual(['GitHub:ann', 'Mail:ann']);
    const resolved = await handlers['follow.resolveMissing']({ id: follows[0]!.id, remove: true });
    expect(resolved.follows[0]!.missingCount).toBe(0);
    expect(await accountNames()).toEqual(['GitHub:ann']);
    await handlers['follow.remove']({ id: follows[0]!.id });
    expect((await handlers['follow.status']()).follows).toEqual([]);
    expect(await accountNames()).toEqual(['GitHub:ann']);
  });
});
