import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReplica } from '../../../../main/core/sync/replica-file';
import { joinSync, setUpSync } from '../../../../main/core/sync/sync-admin';
import {
  listReplicaFiles,
  replicaName,
  syncPaths,
  tempPrefix,
} from '../../../../main/core/sync/sync-folder';
import { runSyncPass, type SyncPassDeps } from '../../../../main/core/sync/sync-pass';
import { nodeVaultFs } from '../../../../main/core/vault/vault-fs';
import { emptyVaultContent } from '../../../../shared/vault-content';
import { makeAccount } from '../vault/helpers/fixtures';
import { SYNC_PASSWORD, memoryVault, removeFolder, secretFor, tempFolder } from './helpers';

/**
 * Crash safety of replica writes: a child process (sync-crash-writer.ts) runs sync passes in a
 * tight loop, each rewriting its replica in a real sync folder, and is SIGKILLed at random
 * moments. After every kill another device, in this process, runs a pass over the folder: it
 * must read the killed device's replica without refusing it, find the last sequence the child
 * acknowledged (or the one after: written, but killed before it could say so), never an older
 * one, and ignore the temp file a kill mid-write leaves behind.
 *
 * Each kill costs a process start, so the cycles run in lanes, each with its own folder and
 * devices, with the next child already starting while the current one is killed.
 */

const LANES = 3;
const CYCLES_PER_LANE = 34;
/** Most kills come after the first acknowledged pass, at most this long into the loop. */
const MAX_KILL_DELAY_MS = 30;
/** The rest land anywhere from "go" on: before, during or after the first write. */
const EARLY_KILL_SHARE = 0.2;
/** And these while the writer is in the middle of a replica write (it writes in pieces). */
const MID_WRITE_SHARE = 0.5;
/** A few hundred accounts make each replica write long enough for kills to land mid-write. */
const ACCOUNTS = 300;
const WRITER = join(import.meta.dirname, 'sync-crash-writer.ts');

interface Lane {
  folder: string;
  reader: SyncPassDeps & { vault: ReturnType<typeof memoryVault> };
  writerId: string;
  contentPath: string;
  key: Buffer;
}

const lanes: Lane[] = [];
const running = new Set<Child>();
/** Set when the test fails or times out, so the other lanes stop starting processes. */
let stopped = false;

function deviceDeps(vault: ReturnType<typeof memoryVault>) {
  return { vault, fs: nodeVaultFs, clock: { now: () => Date.now() }, random: randomBytes };
}

beforeAll(async () => {
  for (let lane = 0; lane < LANES; lane += 1) {
    const folder = await tempFolder('chronokey-sync-crash-');
    const content = emptyVaultContent();
    for (let i = 0; i < ACCOUNTS; i += 1) {
      const id = `lane${lane}-${i}`;
      content.accounts.push(makeAccount(id, { secret: secretFor(id) }));
    }
    const reader = deviceDeps(memoryVault(content));
    await setUpSync(reader, { folder, password: SYNC_PASSWORD, deviceName: 'Reader' });
    await runSyncPass(reader);
    const writer = deviceDeps(memoryVault());
    await joinSync(writer, { folder, password: SYNC_PASSWORD, deviceName: 'Writer' });
    await runSyncPass(writer);
    expect((await runSyncPass(reader)).refused).toEqual([]);
    const sync = writer.vault.current.sync!;
    const contentPath = join(folder, 'writer-content.json');
    await writeFile(contentPath, JSON.stringify(writer.vault.current));
    lanes.push({
      folder,
      reader,
      writerId: sync.deviceId,
      contentPath,
      key: Buffer.from(sync.key, 'base64'),
    });
  }
}, 60_000);

afterAll(async () => {
  stopped = true;
  const children = [...running];
  for (const child of children) child.process.kill('SIGKILL');
  await Promise.all(children.map((child) => child.done));
  for (const lane of lanes) await removeFolder(lane.folder);
});

interface Child {
  process: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The sequence numbers it printed (each after a pass returned). */
  lines(): string[];
  /** How many replica writes it has started. */
  writes(): number;
  stderr(): string;
  waitUntil(ready: () => boolean, timeoutMs: number): Promise<boolean>;
}

function startWriter(contentPath: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', WRITER, contentPath], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  let markReady: () => void = () => undefined;
  let failReady: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  ready.catch(() => undefined);
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk: string) => {
    out += chunk;
    if (out.startsWith('ready\n')) markReady();
    for (const wake of waiters) wake();
  });
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk: string) => {
    err += chunk;
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('close', (code, signal) => {
      failReady(new Error(`writer exited before it was ready (${code ?? signal}): ${err}`));
      resolve({ code, signal });
    });
  });
  const complete = () => out.split('\n').slice(1, -1); // drop "ready" and a partial last line
  const lines = () => complete().filter((line) => /^\d+$/.test(line));
  const writes = () => complete().filter((line) => line === 'writing').length;
  const child: Child = {
    process: proc,
    ready,
    done,
    lines,
    writes,
    stderr: () => err,
    waitUntil: (isReady, timeoutMs) =>
      new Promise<boolean>((resolve) => {
        if (isReady()) return resolve(true);
        const finish = (value: boolean) => {
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(value);
        };
        const wake = () => isReady() && finish(true);
        const timer = setTimeout(() => finish(false), timeoutMs);
        waiters.add(wake);
      }),
  };
  running.add(child);
  void done.then(() => running.delete(child));
  return child;
}

interface LaneStats {
  cycles: number;
  withAcks: number;
  writes: number;
  unacknowledgedWrite: number;
  leftTempFile: number;
  aimedMidWrite: number;
  last: number;
}

async function runLane(lane: Lane): Promise<LaneStats> {
  const stats: LaneStats = {
    cycles: 0,
    withAcks: 0,
    writes: 0,
    unacknowledgedWrite: 0,
    leftTempFile: 0,
    aimedMidWrite: 0,
    last: 0,
  };
  const paths = syncPaths(lane.folder);
  const ownFile = replicaName(lane.writerId);
  const readOnDisk = async (): Promise<number> => {
    const { header, state } = decodeReplica(await readFile(join(paths.devices, ownFile)), lane.key);
    expect(header.deviceId).toBe(lane.writerId);
    expect(Object.keys(state.accounts)).toHaveLength(ACCOUNTS);
    return header.sequence;
  };
  let acknowledged = await readOnDisk(); // the sequence known to be in the folder
  let next = startWriter(lane.contentPath);
  try {
    for (let cycle = 0; cycle < CYCLES_PER_LANE; cycle += 1) {
      if (stopped) throw new Error('stopped');
      const child = next;
      next = startWriter(lane.contentPath);
      await child.ready;
      child.process.stdin.write('go\n');
      const dice = Math.random();
      if (dice >= EARLY_KILL_SHARE) await child.waitUntil(() => child.lines().length > 0, 10_000);
      if (dice >= 1 - MID_WRITE_SHARE) {
        // While a replica is half written: the next write after the first acknowledged one.
        const started = child.writes();
        await child.waitUntil(() => child.writes() > started, 10_000);
        await sleep(Math.random() * 3);
        stats.aimedMidWrite += 1;
      } else {
        await sleep(Math.random() * MAX_KILL_DELAY_MS);
      }
      child.process.kill('SIGKILL');
      const { signal } = await child.done;
      expect(signal, child.stderr()).toBe('SIGKILL');

      const printed = child.lines().map(Number);
      // Each acknowledged sequence is the next one: no write was skipped or repeated.
      printed.forEach((seq, i) => expect(seq).toBe(acknowledged + 1 + i));
      const lastAcked = printed.at(-1) ?? acknowledged;

      // The file itself: whole, and never older than what the child said it wrote.
      const where = `${lane.folder} cycle ${cycle}`;
      const onDisk = await readOnDisk();
      expect([lastAcked, lastAcked + 1], where).toContain(onDisk);

      // A kill mid-write leaves at most the one temp file (the next pass sweeps it away)...
      const names = await readdir(paths.devices);
      const temps = names.filter((name) => name.startsWith(tempPrefix(ownFile)));
      expect(temps.length, temps.join(', ')).toBeLessThanOrEqual(1);
      if (temps.length > 0) stats.leftTempFile += 1;
      // ...which readers do not even list,
      const listed = await listReplicaFiles(nodeVaultFs, paths);
      expect(
        listed.filter((name) => name.startsWith('.')),
        where,
      ).toEqual([]);
      expect(listed, where).toContain(ownFile);

      // and another device's pass reads the killed device's replica without refusing anything.
      const outcome = await runSyncPass(lane.reader);
      expect(outcome.refused, where).toEqual([]);
      const seen = lane.reader.vault.current.sync?.devices[lane.writerId];
      expect(seen?.sequence, where).toBe(onDisk);
      expect(lane.reader.vault.current.accounts).toHaveLength(ACCOUNTS);

      if (onDisk === lastAcked + 1) stats.unacknowledgedWrite += 1;
      if (printed.length > 0) stats.withAcks += 1;
      stats.writes += printed.length;
      acknowledged = onDisk;
      stats.cycles += 1;
    }
  } finally {
    next.process.kill('SIGKILL');
    await next.done;
  }
  stats.last = acknowledged;
  return stats;
}

describe('sync crash safety', () => {
  it(`survives ${LANES * CYCLES_PER_LANE} SIGKILLs during replica writes`, async () => {
    const results = await Promise.all(lanes.map((lane) => runLane(lane))).catch((error) => {
      stopped = true;
      throw error;
    });
    console.info('sync-crash-safety', JSON.stringify(results));

    const total = (key: keyof LaneStats) => results.reduce((sum, lane) => sum + lane[key], 0);
    expect(total('cycles')).toBeGreaterThanOrEqual(100);
    // Most kills landed while the child was writing, not before it started.
    expect(total('withAcks')).toBeGreaterThan(total('cycles') / 2);
    // And many in the middle of a write: a half-written temp file was left behind.
    expect(total('leftTempFile')).toBeGreaterThan(total('cycles') / 10);

    // The reader took the last replica each lane's writer wrote, rename included.
    for (const [i, lane] of lanes.entries()) {
      const seen = lane.reader.vault.current.sync?.devices[lane.writerId];
      expect(seen?.sequence).toBe(results[i]?.last);
    }
  }, 120_000);
});
