/**
 * `npm run bench:sync`: (a) merging 5 replicas of 1,000 accounts each (the CRDT join alone,
 * target under 50 ms) and (b) a full sync pass over a real temp folder holding 5 device files of
 * 1,000 accounts (record, read and decrypt every file, merge, join duplicates, project, write
 * the replica; the KDF is not part of a pass, target under 200 ms). Median of 9 runs after a
 * warm-up. Prints figures and targets; asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Account } from '../shared/domain';
import type { ReplicaState } from '../shared/sync-state';
import { VaultContent, emptyVaultContent } from '../shared/vault-content';
import { bytesToBase32 } from '../main/core/otp/base32';
import { decodeReplica } from '../main/core/sync/replica-file';
import { emptyState, joinInto } from '../main/core/sync/replica-state';
import { joinSync, setUpSync } from '../main/core/sync/sync-admin';
import { syncPaths } from '../main/core/sync/sync-folder';
import { runSyncPass, type SyncVault } from '../main/core/sync/sync-pass';
import { nodeVaultFs } from '../main/core/vault/vault-fs';

const RUNS = 9;
const DEVICES = 5;
const COUNT = 1000;
const PASSWORD = 'lantern orchard pebble cobalt drift';

function accounts(): Account[] {
  return Array.from({ length: COUNT }, (_, index) => ({
    id: `bench-${index}`,
    type: 'totp',
    issuer: `Issuer ${index % 97}`,
    account: `user${index}@example.com`,
    secret: bytesToBase32(randomBytes(20)),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    counter: 0,
    tags: [`tag${index % 5}`],
    favourite: index % 7 === 0,
    createdAt: 1_700_000_000_000 + index,
    lastUsedAt: null,
    warnings: [],
  }));
}

/** An in-memory vault with the real one's update rules (validated, whole or nothing). */
function memoryVault(content: VaultContent): SyncVault & { current: VaultContent } {
  const vault = {
    current: VaultContent.parse(content),
    content: async () => structuredClone(vault.current),
    update: async <T>(change: (draft: VaultContent) => T): Promise<T> => {
      const draft = structuredClone(vault.current);
      const result = change(draft);
      vault.current = VaultContent.parse(draft);
      return result;
    },
  };
  return vault;
}

function deps(vault: SyncVault) {
  return { vault, fs: nodeVaultFs, clock: { now: () => Date.now() }, random: randomBytes };
}

/** Median time of `run`, each run given a fresh input from `prepare` (made outside the timing). */
async function median<T>(
  prepare: () => T,
  run: (input: T) => Promise<unknown> | unknown,
): Promise<number> {
  await run(prepare()); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const input = prepare();
    const start = performance.now();
    await run(input);
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

function report(label: string, ms: number, target: number): void {
  const verdict = ms <= target ? 'ok' : 'MISSED';
  console.log(
    `${label.padEnd(66)} ${ms.toFixed(1).padStart(8)} ms  (target < ${target} ms, ${verdict})`,
  );
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-bench-sync-'));
try {
  // Device 0 sets sync up with 1,000 accounts; the others join, take them, and each edits 50.
  const first = emptyVaultContent();
  first.accounts = accounts();
  const vaults = [memoryVault(first)];
  await setUpSync(deps(vaults[0]!), { folder: dir, password: PASSWORD, deviceName: 'Device 0' });
  await runSyncPass(deps(vaults[0]!));
  // Device 0 as it was before the others joined: a pass from here reads all their files.
  const before = structuredClone(vaults[0]!.current);
  for (let device = 1; device < DEVICES; device++) {
    const vault = memoryVault(emptyVaultContent());
    vaults.push(vault);
    await joinSync(deps(vault), {
      folder: dir,
      password: PASSWORD,
      deviceName: `Device ${device}`,
    });
    await runSyncPass(deps(vault));
    await vault.update((draft) => {
      for (let i = 0; i < 50; i++)
        draft.accounts[(device * 50 + i) % COUNT]!.issuer = `Edit ${device}`;
    });
    await runSyncPass(deps(vault));
  }

  const paths = syncPaths(dir);
  const key = Buffer.from(before.sync!.key, 'base64');
  const files = readdirSync(paths.devices).filter((name) => name.endsWith('.ckr'));
  const states: ReplicaState[] = files.map(
    (name) => decodeReplica(readFileSync(path.join(paths.devices, name)), key).state,
  );
  const sizes = states.map((state) => Object.keys(state.accounts).length);
  if (files.length !== DEVICES || sizes.some((size) => size !== COUNT)) {
    throw new Error(`unexpected folder: ${files.length} files, ${sizes.join(', ')} accounts`);
  }

  const mergeSamples: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const inputs = structuredClone(states); // joining may take objects over from its input
    const start = performance.now();
    const merged = emptyState('0'.repeat(32));
    for (const state of inputs) joinInto(merged, state, { now: Date.now(), future: new Set() });
    if (i > 0) mergeSamples.push(performance.now() - start); // the first run is a warm-up
  }
  report(
    `merge ${DEVICES} replicas of ${COUNT} accounts (CRDT join)`,
    mergeSamples.sort((a, b) => a - b)[Math.floor(mergeSamples.length / 2)]!,
    50,
  );
  report(
    `full sync pass, ${DEVICES} device files of ${COUNT} accounts (no KDF)`,
    await median(
      () => deps(memoryVault(structuredClone(before))),
      async (device) => {
        const outcome = await runSyncPass(device);
        if (outcome.merged < DEVICES - 1 || outcome.refused.length > 0) {
          throw new Error(`pass merged ${outcome.merged}, refused ${outcome.refused.length}`);
        }
      },
    ),
    200,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
