import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarKeychain } from '../../../../main/core/vault/keychain';
import {
  createVault,
  destroyKeychainEntry,
  openVault,
  type VaultDeps,
} from '../../../../main/core/vault/vault';
import { killAllWriters, startWriter, type WriterChild } from './helpers/child';
import { contentWith, removeRoot, tempRoot } from './helpers/fixtures';

/**
 * Crash safety: a child process writes the vault in a tight loop and is SIGKILLed at random
 * moments. After every kill the vault must open and hold the last sequence number the child
 * acknowledged, or the one after it (written, but killed before it could say so).
 *
 * Each kill costs a process start (~0.2 s of CPU), so the cycles run in three lanes, each on its
 * own vault, with the next child already starting while the current one is killed.
 */

const LANES = 3;
const CYCLES_PER_LANE = 68;
/** Most kills come after the first acknowledged write, at most this long into the loop. */
const MAX_KILL_DELAY_MS = 30;
/** The rest land anywhere from "go" on: before, during or after the first write. */
const EARLY_KILL_SHARE = 0.2;

let root: string;
const lanes: VaultDeps[] = [];
/** Set when the test fails or times out, so the other lanes stop starting processes. */
let stopped = false;
beforeAll(async () => {
  root = await tempRoot();
  for (let lane = 0; lane < LANES; lane += 1) {
    const deps = { dir: join(root, `vault-${lane}`), keychain: createKeytarKeychain() };
    // A few hundred accounts make each write take long enough for kills to land mid-write.
    await createVault(deps, { useKeychain: true, content: contentWith(300) });
    lanes.push(deps);
  }
});
afterAll(async () => {
  stopped = true;
  await killAllWriters();
  for (const deps of lanes) await destroyKeychainEntry(deps).catch(() => false);
  await removeRoot(root);
});

interface LaneStats {
  cycles: number;
  withAcks: number;
  writes: number;
  unacknowledgedWrite: number;
  maxTempFiles: number;
  last: number;
}

async function tempFiles(deps: VaultDeps): Promise<string[]> {
  return (await readdir(deps.dir)).filter((name) => name.startsWith('.vault.ckv.tmp-'));
}

async function runLane(deps: VaultDeps): Promise<LaneStats> {
  const stats: LaneStats = {
    cycles: 0,
    withAcks: 0,
    writes: 0,
    unacknowledgedWrite: 0,
    maxTempFiles: 0,
    last: 0,
  };
  let next: WriterChild = startWriter(['crash-loop', deps.dir]);
  let acknowledged = 0; // the sequence number known to be on disk
  try {
    for (let cycle = 0; cycle < CYCLES_PER_LANE; cycle += 1) {
      if (stopped) throw new Error('stopped');
      const child = next;
      next = startWriter(['crash-loop', deps.dir]);
      await child.ready;
      child.go();
      if (Math.random() >= EARLY_KILL_SHARE) await child.firstLine(5000);
      await sleep(Math.random() * MAX_KILL_DELAY_MS);
      child.process.kill('SIGKILL');
      const { signal } = await child.done;
      expect(signal, child.stderr()).toBe('SIGKILL');

      const printed = child.lines().map(Number);
      // Each acknowledged number is the next one: no write was skipped or repeated.
      printed.forEach((seq, i) => expect(seq).toBe(acknowledged + 1 + i));
      const lastAcked = printed.at(-1) ?? acknowledged;

      const onDisk = (await openVault(deps)).content.accounts[0]?.counter ?? -1;
      expect([lastAcked, lastAcked + 1], `${deps.dir} cycle ${cycle}`).toContain(onDisk);
      if (onDisk === lastAcked + 1) stats.unacknowledgedWrite += 1;
      if (printed.length > 0) stats.withAcks += 1;
      stats.writes += printed.length;
      acknowledged = onDisk;
      stats.cycles += 1;

      // A killed writer leaves at most a temp file, a .prev temp file or a lock set aside;
      // the next writer's first write removes them, so they never pile up.
      const temps = await tempFiles(deps);
      stats.maxTempFiles = Math.max(stats.maxTempFiles, temps.length);
      expect(temps.length, temps.join(', ')).toBeLessThanOrEqual(3);
    }
  } finally {
    next.process.kill('SIGKILL');
    await next.done;
  }
  stats.last = acknowledged;
  return stats;
}

describe('crash safety', () => {
  it(`survives ${LANES * CYCLES_PER_LANE} SIGKILLs at random moments`, async () => {
    const results = await Promise.all(lanes.map((deps) => runLane(deps))).catch((error) => {
      stopped = true;
      throw error;
    });
    console.info('crash-safety', JSON.stringify(results));

    const total = (key: keyof LaneStats) => results.reduce((sum, lane) => sum + lane[key], 0);
    expect(total('cycles')).toBeGreaterThanOrEqual(200);
    // Most kills landed while the child was writing, not before it started.
    expect(total('withAcks')).toBeGreaterThan(total('cycles') / 2);

    // The next writer cleans up everything a killed one left behind, lock file included.
    for (const [i, deps] of lanes.entries()) {
      const vault = await openVault(deps);
      const seq = await vault.update((draft) => {
        const first = draft.accounts[0];
        if (!first) throw new Error('no account');
        first.counter += 1;
        return first.counter;
      });
      expect(seq).toBe((results[i]?.last ?? 0) + 1);
      expect((await readdir(deps.dir)).sort()).toEqual([
        'vault.ckv',
        'vault.ckv.prev',
        'vault.state',
      ]);
    }
  }, 240_000);
});
