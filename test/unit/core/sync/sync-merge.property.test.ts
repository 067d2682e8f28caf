import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReplicaState, Stamp } from '../../../../shared/sync-state';
import { VaultContent, emptyVaultContent } from '../../../../shared/vault-content';
import { formatStamp, stampDevice } from '../../../../main/core/sync/hlc';
import { copyState, emptyState, isLive, joinInto } from '../../../../main/core/sync/replica-state';
import { applyPass, type Reading } from '../../../../main/core/sync/sync-pass';
import type { ReplicaHeader } from '../../../../main/core/sync/replica-file';
import { makeAccount } from '../vault/helpers/fixtures';

/**
 * Three simulated devices edit their own vaults and exchange replica states in any order, with
 * any delay, duplication and reordering (the worst a sync engine can do). Checked: once every
 * device has seen every other's latest replica they hold the same accounts, and no change a
 * device recorded is lost except to a later change.
 */

const FOLDER = 'f'.repeat(32);
/** The highest counter any device recorded for each account id (HOTP codes used). */
const counters = new Map<string, number>();
const KEY_ID = '0'.repeat(16);
const DEVICES = ['a', 'b', 'c'].map((letter) => letter.repeat(32));
const SECRETS = ['JBSWY3DPEHPK3PXP', 'GEZDGNBVGY3TQOJQ', 'MFRGGZDFMZTWQ2LK', 'KRSXG5CTMVRXEZLU'];

interface Device {
  id: string;
  content: VaultContent;
  /** Its clock's error, within the 24 h the format tolerates. */
  skew: number;
  sequence: number;
}

interface Published {
  header: ReplicaHeader;
  state: ReplicaState;
}

/** A change a device's pass recorded: a field value with its stamp, or a removal. */
interface Acknowledged {
  id: string;
  field: string;
  value: string;
  stamp: Stamp;
}

function newDevice(id: string, skew: number): Device {
  const content = emptyVaultContent();
  content.sync = {
    folder: '/sync',
    folderId: FOLDER,
    keyId: KEY_ID,
    key: Buffer.alloc(32).toString('base64'),
    deviceId: id,
    deviceName: `Device ${id[0]}`,
    sequence: 0,
    stateHash: '',
    clock: formatStamp(0, 0, id),
    lastPassAt: null,
    devices: {},
    state: emptyState(id),
  };
  return { id, content, skew, sequence: 0 };
}

const op = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      device: fc.nat(2),
      secret: fc.nat(SECRETS.length - 1),
      name: fc.constantFrom('GitHub', 'Google', 'Proton', 'AWS'),
      hotp: fc.boolean(),
    }),
  },
  fc.record({
    kind: fc.constant('rename' as const),
    device: fc.nat(2),
    pick: fc.nat(),
    name: fc.string({ maxLength: 6 }),
  }),
  fc.record({
    kind: fc.constant('tag' as const),
    device: fc.nat(2),
    pick: fc.nat(),
    tag: fc.constantFrom('work', 'home'),
  }),
  fc.record({ kind: fc.constant('favourite' as const), device: fc.nat(2), pick: fc.nat() }),
  fc.record({ kind: fc.constant('remove' as const), device: fc.nat(2), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('move' as const),
    device: fc.nat(2),
    pick: fc.nat(),
    to: fc.nat(),
  }),
  fc.record({ kind: fc.constant('hotp' as const), device: fc.nat(2), pick: fc.nat() }),
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('pass' as const),
      device: fc.nat(2),
      // Indexes into everything published so far, newest first: any subset, order, duplicates.
      deliveries: fc.array(fc.nat(40), { maxLength: 6 }),
    }),
  },
);

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function apply(device: Device, step: Op, now: number, serial: number): void {
  const accounts = device.content.accounts;
  const pick =
    'pick' in step && accounts.length > 0 ? accounts[step.pick % accounts.length]! : null;
  switch (step.kind) {
    case 'add': {
      const account = makeAccount(`id-${device.id[0]}-${serial}`, {
        type: step.hotp ? 'hotp' : 'totp',
        issuer: step.name,
        account: 'me@example.com',
        secret: SECRETS[step.secret]!,
        tags: [],
        createdAt: now,
      });
      accounts.push(account);
      return;
    }
    case 'rename':
      if (pick) pick.issuer = step.name;
      return;
    case 'tag':
      if (pick)
        pick.tags = pick.tags.includes(step.tag)
          ? pick.tags.filter((t) => t !== step.tag)
          : [...pick.tags, step.tag];
      return;
    case 'favourite':
      if (pick) pick.favourite = !pick.favourite;
      return;
    case 'remove':
      if (pick) accounts.splice(accounts.indexOf(pick), 1);
      return;
    case 'move':
      if (pick) {
        accounts.splice(accounts.indexOf(pick), 1);
        accounts.splice(step.to % (accounts.length + 1), 0, pick);
      }
      return;
    case 'hotp':
      if (pick && pick.type === 'hotp') pick.counter += 1;
      return;
    case 'pass':
      return;
  }
}

function pass(
  device: Device,
  deliveries: readonly Published[],
  now: number,
  log: Acknowledged[],
): Published | null {
  const sync = device.content.sync!;
  const reading: Reading = {
    incoming: deliveries.map((entry) => ({
      file: `${entry.header.deviceId}.ckr`,
      header: entry.header,
      state: structuredClone(entry.state),
      copy: false,
    })),
    refused: [],
    ownSequence: device.sequence,
    ownKeyCurrent: true,
    names: {},
  };
  const draft = structuredClone(device.content);
  const applied = applyPass(draft, sync, reading, now + device.skew, false, {
    allowRemovals: true,
  });
  device.content = VaultContent.parse(draft);
  const state = device.content.sync!.state;
  for (const [id, account] of Object.entries(state.accounts)) {
    for (const [field, register] of Object.entries(account.fields)) {
      if (stampDevice(register.stamp) === device.id) {
        log.push({ id, field, value: JSON.stringify(register.value), stamp: register.stamp });
      }
    }
    counters.set(id, Math.max(counters.get(id) ?? 0, account.counter));
    if (account.removed && stampDevice(account.removed.stamp) === device.id) {
      log.push({ id, field: 'removed', value: '', stamp: account.removed.stamp });
    }
  }
  if (!applied.write?.replica) return null;
  device.sequence = applied.write.sequence;
  return {
    header: {
      folderId: FOLDER,
      keyId: KEY_ID,
      deviceId: device.id,
      deviceName: sync.deviceName,
      sequence: applied.write.sequence,
      writtenAt: now,
    },
    state: structuredClone(applied.write.state),
  };
}

function visible(device: Device) {
  return device.content.accounts.map((a) => ({
    id: a.id,
    issuer: a.issuer,
    tags: a.tags,
    favourite: a.favourite,
    counter: a.counter,
    secret: a.secret,
  }));
}

function run(steps: readonly Op[], skews: readonly number[]) {
  counters.clear();
  const devices = DEVICES.map((id, index) => newDevice(id, skews[index]!));
  const published: Published[] = [];
  const log: Acknowledged[] = [];
  let now = 1_764_590_400_000;
  steps.forEach((step, serial) => {
    now += 1 + (serial % 7) * 313;
    const device = devices[step.device]!;
    apply(device, step, now, serial);
    if (step.kind === 'pass') {
      const chosen = step.deliveries
        .map((index) => published[published.length - 1 - (index % Math.max(published.length, 1))])
        .filter((entry): entry is Published => entry !== undefined);
      const written = pass(device, chosen, now, log);
      if (written) published.push(written);
    }
  });
  // Everyone passes with everyone's latest replica until a whole round writes nothing.
  let quietAfter = -1;
  for (let round = 0; round < 8 && quietAfter < 0; round += 1) {
    let wrote = false;
    for (const device of devices) {
      now += 1000;
      const latest = DEVICES.filter((id) => id !== device.id)
        .map((id) => [...published].reverse().find((entry) => entry.header.deviceId === id))
        .filter((entry): entry is Published => entry !== undefined);
      const written = pass(device, latest, now, log);
      if (written) {
        published.push(written);
        wrote = true;
      }
    }
    if (!wrote) quietAfter = round;
  }
  return { devices, log, quietAfter };
}

/**
 * Live accounts with the same secret and parameters are one, except where one device added
 * the same secret twice under other names: then only the same names are one.
 */
function expectDuplicatesJoined(device: Device): void {
  const live = Object.values(device.content.sync!.state.accounts).filter(isLive);
  const groups = new Map<string, typeof live>();
  for (const account of live) {
    const key = JSON.stringify(account.otp);
    groups.set(key, [...(groups.get(key) ?? []), account]);
  }
  for (const group of groups.values()) {
    const devices = new Set(group.map((account) => account.addedBy));
    if (devices.size === group.length) expect(group.length).toBe(1);
    const names = group.map(
      (a) =>
        `${a.fields.issuer.value.trim().toLowerCase()}|${a.fields.account.value.trim().toLowerCase()}`,
    );
    expect(new Set(names).size).toBe(names.length);
  }
}

const skews = fc.tuple(
  fc.integer({ min: -3_600_000, max: 3_600_000 }),
  fc.integer({ min: -3_600_000, max: 3_600_000 }),
  fc.integer({ min: -3_600_000, max: 3_600_000 }),
);

describe('sync merge between three devices (property)', () => {
  it('converges to the same accounts on every device, whatever order, delay or duplication', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 80 }), skews, (steps, skew) => {
        const { devices, quietAfter } = run(steps, skew);
        // Passes stop writing once everyone has everything (no device keeps re-stamping).
        expect(quietAfter).toBeGreaterThanOrEqual(0);
        const [first, ...rest] = devices.map(visible);
        for (const other of rest) expect(other).toEqual(first);
        const states = devices.map((device) => device.content.sync!.state.accounts);
        for (const other of states.slice(1)) expect(other).toEqual(states[0]);
        expectDuplicatesJoined(devices[0]!);
      }),
      { numRuns: 300 },
    );
  });

  it('loses no recorded change except to a later one', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 80 }), skews, (steps, skew) => {
        const { devices, log } = run(steps, skew);
        const state = devices[0]!.content.sync!.state;
        const latest = new Map<string, Acknowledged>();
        for (const entry of log) {
          const key = `${entry.id}\u0000${entry.field}`;
          const known = latest.get(key);
          if (!known || entry.stamp > known.stamp) latest.set(key, entry);
        }
        for (const entry of latest.values()) {
          const account = state.accounts[entry.id];
          // Gone only when removed (and, after a join, removed by being joined into another).
          if (!account) continue;
          if (entry.field === 'removed') {
            expect(account.removed!.stamp >= entry.stamp).toBe(true);
            continue;
          }
          const register = account.fields[entry.field as keyof typeof account.fields];
          expect(register.stamp >= entry.stamp).toBe(true);
          if (register.stamp === entry.stamp)
            expect(JSON.stringify(register.value)).toBe(entry.value);
        }
        // A used HOTP code is never offered again: counters only grow, joined ones included.
        for (const device of devices) {
          for (const account of device.content.accounts) {
            expect(account.counter).toBe(counters.get(account.id));
          }
        }
        // Every live account's shown values are its registers' (what the person sees is merged).
        for (const device of devices) {
          for (const account of device.content.accounts) {
            const synced = device.content.sync!.state.accounts[account.id]!;
            expect(isLive(synced)).toBe(true);
            expect(account.issuer).toBe(synced.fields.issuer.value);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('shares no object with the states it merged: changing them later changes nothing', () => {
    const stamp = formatStamp(1_700_000_000_000, 0, DEVICES[1]!);
    const register = <T>(value: T) => ({ value, stamp });
    const theirs: ReplicaState = {
      deviceId: DEVICES[1]!,
      accounts: {
        a1: {
          otp: { type: 'totp', secret: SECRETS[0]!, algorithm: 'SHA1', digits: 6, period: 30 },
          createdAt: 1,
          addedBy: DEVICES[1]!,
          warnings: [{ code: 'w', message: 'kept' }],
          counter: 0,
          lastUsedAt: null,
          fields: {
            issuer: register('Issuer'),
            account: register('me'),
            tags: register(['work']),
            favourite: register(false),
            note: register(''),
            position: register('a'),
          },
          removed: null,
        },
      },
    };
    const expected = structuredClone(theirs.accounts);
    const taken = joinInto(emptyState(DEVICES[0]!), theirs, { now: Date.now() });
    const ours = joinInto(
      {
        deviceId: DEVICES[0]!,
        accounts: {
          a1: {
            ...structuredClone(expected.a1!),
            fields: {
              ...structuredClone(expected.a1!.fields),
              tags: { value: [], stamp: formatStamp(1, 0, DEVICES[0]!) },
            },
          },
        },
      },
      theirs,
      { now: Date.now() },
    );
    const account = theirs.accounts.a1!;
    account.fields.tags.value.push('changed');
    account.fields.issuer.value = 'changed';
    account.warnings[0]!.message = 'changed';
    account.otp.digits = 8;
    expect(taken.accounts).toEqual(expected);
    expect(ours.accounts.a1!.fields.tags.value).toEqual(['work']);
    expect(copyState(taken)).toEqual(taken);
  });
});
