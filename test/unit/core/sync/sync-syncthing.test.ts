import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../../../shared/domain';
import { TestDevice, secretFor } from './helpers';
import { SyncthingDaemon, syncthingInstalled } from './syncthing-daemon';

/**
 * Chronokey's folder sync carried by two (then three) REAL Syncthing daemons on 127.0.0.1:
 * every replica file reaches the other devices only the way Syncthing moves it.
 */

const installed = syncthingInstalled();
if (!installed) console.warn('sync-syncthing: /usr/bin/syncthing is not installed; skipped');

const WAIT_MS = 60_000;
const PASS_EVERY_MS = 300;
/** Real time: the folder's files are stamped with the machine's clock, as in the app. */
const realTime = {
  get now() {
    return Date.now();
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** What must be equal on every device (the whole account, its place in the order included). */
function view(device: TestDevice): string {
  return JSON.stringify(device.accounts);
}

function describeDifference(devices: readonly TestDevice[]): string {
  return devices
    .map((device) => {
      const hotp = device.accounts.find((account) => account.type === 'hotp');
      return `${device.name}: ${device.accounts.length} accounts, HOTP counter ${hotp?.counter ?? '-'}`;
    })
    .join('; ');
}

/**
 * Passes on every device every 300 ms until `done` holds and all their accounts are equal.
 * Returns the time taken; fails with what each device holds after the bounded wait.
 */
async function converge(
  devices: readonly TestDevice[],
  done: (accounts: readonly Account[]) => boolean,
  what: string,
): Promise<number> {
  const started = Date.now();
  const deadline = started + WAIT_MS;
  for (;;) {
    for (const device of devices) {
      const outcome = await device.pass();
      expect(outcome.refused, `${device.name} refused a replica`).toEqual([]);
      expect(outcome.pending, `${device.name} holds removals`).toBeNull();
    }
    const first = view(devices[0]!);
    if (devices.every((device) => view(device) === first) && done(devices[0]!.accounts)) {
      return Date.now() - started;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: the devices did not converge within ${WAIT_MS} ms (${describeDifference(devices)})`,
      );
    }
    await sleep(PASS_EVERY_MS);
  }
}

function totp(id: string): Account {
  return {
    id,
    type: 'totp',
    issuer: `Issuer ${id}`,
    account: `${id}@example.com`,
    secret: secretFor(id),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    counter: 0,
    tags: [],
    favourite: false,
    createdAt: Date.now(),
    lastUsedAt: null,
    warnings: [],
  };
}

describe.skipIf(!installed)('sync through real Syncthing daemons', () => {
  let stA: SyncthingDaemon;
  let stB: SyncthingDaemon;
  let stC: SyncthingDaemon;
  const daemons: SyncthingDaemon[] = [];

  beforeAll(async () => {
    stA = await SyncthingDaemon.create('st-a');
    daemons.push(stA);
    stB = await SyncthingDaemon.create('st-b');
    daemons.push(stB);
    stC = await SyncthingDaemon.create('st-c');
    daemons.push(stC);
    // A shares the folder with B and with C; B and C each know only A.
    await stA.configure([stB, stC]);
    await stB.configure([stA]);
    await stC.configure([stA]);
    for (const daemon of daemons) daemon.start();
    await Promise.all(daemons.map((daemon) => daemon.waitReady()));
    await Promise.all([stA.waitConnected(stB), stA.waitConnected(stC), stB.waitConnected(stA)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(daemons.map((daemon) => daemon.stop()));
  }, 30_000);

  it('two devices adding, removing, renaming and using HOTP at once converge; a third joins', async () => {
    const a = new TestDevice('Device A', realTime);
    const b = new TestDevice('Device B', realTime);
    const c = new TestDevice('Device C', realTime);

    // A sets up sync with one HOTP account (one of its 50), before B joins.
    await a.setUp(stA.folder);
    await a.edit((accounts) =>
      accounts.push({ ...totp('a-hotp'), type: 'hotp', issuer: 'Bank', account: 'me' }),
    );
    await a.pass();

    // B joins once Syncthing has brought sync.json over.
    await stB.waitUntil(
      'sync.json in B',
      () => exists(join(stB.folder, 'Chronokey Sync', 'sync.json')),
      WAIT_MS,
    );
    await b.join(stB.folder);
    await b.pass();

    // Each adds 50 accounts at the same time, with a pass after.
    const aIds = Array.from({ length: 49 }, (_, index) => `a-${index}`);
    const bIds = Array.from({ length: 50 }, (_, index) => `b-${index}`);
    await Promise.all([
      a.edit((accounts) => accounts.push(...aIds.map(totp))),
      b.edit((accounts) => accounts.push(...bIds.map(totp))),
    ]);
    await Promise.all([a.pass(), b.pass()]);
    const added = await converge(
      [a, b],
      (accounts) => accounts.length === 100,
      'after both added 50',
    );
    console.log(`syncthing exchange of 2 x 50 added accounts: ${added} ms`);
    expect(a.accounts.map((account) => account.id).sort()).toEqual(
      ['a-hotp', ...aIds, ...bIds].sort(),
    );

    // B removes 5 of A's; A renames 3 of B's; both advance the same HOTP counter.
    const removed = aIds.slice(0, 5);
    const renamed = bIds.slice(10, 13);
    await Promise.all([
      b.edit((accounts) => {
        for (const id of removed)
          accounts.splice(
            accounts.findIndex((x) => x.id === id),
            1,
          );
        accounts.find((x) => x.id === 'a-hotp')!.counter = 9;
      }),
      a.edit((accounts) => {
        for (const id of renamed) accounts.find((x) => x.id === id)!.issuer = `Renamed ${id}`;
        accounts.find((x) => x.id === 'a-hotp')!.counter = 7;
      }),
    ]);
    const lastChange = Date.now();
    await Promise.all([a.pass(), b.pass()]);
    await converge(
      [a, b],
      (accounts) =>
        accounts.length === 95 &&
        accounts.find((x) => x.id === 'a-hotp')?.counter === 9 &&
        renamed.every((id) => accounts.find((x) => x.id === id)?.issuer === `Renamed ${id}`),
      'after removals, renames and HOTP use',
    );
    const convergence = Date.now() - lastChange;
    console.log(`syncthing convergence: ${convergence} ms`);

    const expected = ['a-hotp', ...aIds.slice(5), ...bIds].sort();
    for (const device of [a, b]) {
      expect(device.accounts.map((account) => account.id).sort()).toEqual(expected);
      expect(device.accounts.find((x) => x.id === 'a-hotp')!.counter).toBe(9);
      for (const id of renamed) {
        expect(device.accounts.find((x) => x.id === id)!.issuer).toBe(`Renamed ${id}`);
      }
      for (const id of removed) expect(device.accounts.some((x) => x.id === id)).toBe(false);
    }

    // A third device, on a third daemon that shares the folder with A only, joins.
    await stC.waitUntil(
      'sync.json in C',
      () => exists(join(stC.folder, 'Chronokey Sync', 'sync.json')),
      WAIT_MS,
    );
    await c.join(stC.folder);
    const joined = Date.now();
    await converge([a, b, c], (accounts) => accounts.length === 95, 'after C joined');
    console.log(`syncthing third device caught up: ${Date.now() - joined} ms`);
    expect(view(c)).toBe(view(a));
    expect(c.accounts.find((x) => x.id === 'a-hotp')!.counter).toBe(9);
  }, 180_000);
});
