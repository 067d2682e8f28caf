import { readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { errnoCode } from './vault-errors';
import { TEMP_PREFIX, vaultPaths, type VaultFs } from './vault-fs';
import type { RandomBytes } from './key-slots';

/**
 * An exclusive lock file (vault.lock) so that the app and the CLI, or two app instances, never
 * interleave a read-modify-write of the same vault. It is created with O_EXCL, which is atomic
 * on local file systems, and says who holds it so a holder that died can be recognised.
 */

export interface LockOptions {
  fs: VaultFs;
  dir: string;
  random: RandomBytes;
  now: () => number;
  /** How long to wait for another holder before giving up with VAULT_BUSY. */
  timeoutMs?: number;
  /** A lock older than this is considered abandoned even if its holder cannot be checked. */
  staleAfterMs?: number;
  hostname?: string;
  pid?: number;
  isProcessAlive?: (pid: number) => boolean;
}

export interface VaultLock {
  /** True while the lock file is still ours (nobody judged it stale and broke it). */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

export class VaultBusyError extends Error {
  /** Who holds the lock, as a person would want to know it ("process 4242 on laptop, since …"). */
  constructor(readonly holder?: string) {
    super('vault lock timeout');
  }
}

const LockInfo = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  createdAt: z.number(),
  token: z.string(),
});
type LockInfo = z.infer<typeof LockInfo>;

export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
/** Generous: a healthy holder keeps the lock for milliseconds (a huge vault: about a second). */
export const DEFAULT_STALE_AFTER_MS = 2 * 60_000;
/**
 * A lock stamped further than this in the future was not written by a live holder on a sane
 * clock (a planted file, or a clock that jumped back): it would otherwise never grow old.
 */
export const FUTURE_LOCK_TOLERANCE_MS = 60_000;
/**
 * A lock file with no readable content is a holder that died between creating it and writing
 * its details (or is a moment away from writing them). Short, because breaking a live lock by
 * mistake cannot lose an update: every writer checks its token is still in the lock file
 * right before replacing the vault, and gives up with VAULT_BUSY otherwise.
 */
export const UNREADABLE_LOCK_GRACE_MS = 1000;

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which still means alive.
    if (errnoCode(error) !== 'EPERM') return false;
  }
  return mayBeChronokey(pid);
}

/**
 * Process ids are reused: after a reboot or a long time the pid in an abandoned lock may belong
 * to something else. Where the system says what a process runs (Linux's /proc), only a Node or
 * Electron process (the CLI, the app) can be the holder.
 */
function mayBeChronokey(pid: number): boolean {
  if (process.platform !== 'linux') return true;
  let commandLine: string;
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return true; // cannot tell: assume alive, the age rule still applies
  }
  return /node|electron|chronokey/i.test(commandLine);
}

export async function acquireVaultLock(options: LockOptions): Promise<VaultLock> {
  const { fs, dir, random, now } = options;
  const path = vaultPaths(dir).lock;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const me: LockInfo = {
    pid: options.pid ?? process.pid,
    hostname: options.hostname ?? osHostname(),
    createdAt: now(),
    token: random(16).toString('hex'),
  };
  const started = performance.now();
  let backoffMs = 2;

  for (;;) {
    me.createdAt = now();
    if (await tryCreate(fs, path, me)) return heldLock(fs, path, me.token);
    const verdict = await judgeExistingLock(options, path);
    if (verdict.stale) {
      await breakStaleLock(fs, dir, verdict.raw, random);
      continue;
    }
    if (performance.now() - started >= timeoutMs) {
      throw new VaultBusyError(await describeHolder(fs, path));
    }
    // Jittered backoff so two waiters do not retry in lockstep.
    await sleep(backoffMs + Math.random() * backoffMs);
    backoffMs = Math.min(backoffMs * 2, 50);
  }
}

async function tryCreate(fs: VaultFs, path: string, info: LockInfo): Promise<boolean> {
  let handle;
  try {
    handle = await fs.open(path, 'wx', 0o600);
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(`${JSON.stringify(info)}\n`);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.unlink(path).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return true;
}

async function readLock(fs: VaultFs, path: string): Promise<string | null> {
  try {
    return (await fs.readFile(path)).toString('utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  }
}

async function describeHolder(fs: VaultFs, path: string): Promise<string | undefined> {
  const raw = await readLock(fs, path).catch(() => null);
  const info = raw === null ? null : parseLock(raw);
  if (!info) return undefined;
  const since = new Date(info.createdAt).toISOString().replace('T', ' ').slice(0, 19);
  return `held by process ${info.pid} on ${info.hostname.slice(0, 64)} since ${since} UTC`;
}

function parseLock(raw: string): LockInfo | null {
  try {
    return LockInfo.parse(JSON.parse(raw));
  } catch {
    return null;
  }
}

async function judgeExistingLock(
  options: LockOptions,
  path: string,
): Promise<{ stale: false } | { stale: true; raw: string }> {
  const raw = await readLock(options.fs, path);
  if (raw === null) return { stale: false }; // released meanwhile: just retry
  const info = parseLock(raw);
  const age = (createdAt: number) => options.now() - createdAt;
  if (!info) {
    const stat = await options.fs.stat(path).catch(() => null);
    return stat && age(stat.mtimeMs) > UNREADABLE_LOCK_GRACE_MS
      ? { stale: true, raw }
      : { stale: false };
  }
  const hostname = options.hostname ?? osHostname();
  const alive = options.isProcessAlive ?? isProcessAlive;
  if (info.hostname === hostname && !alive(info.pid)) return { stale: true, raw };
  if (-age(info.createdAt) > FUTURE_LOCK_TOLERANCE_MS) return { stale: true, raw };
  if (age(info.createdAt) > (options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS))
    return { stale: true, raw };
  return { stale: false };
}

/**
 * Removes an abandoned lock without removing a fresh one by mistake: two waiters may both
 * judge the same lock stale, and the slower one must not delete the lock the faster one has
 * just taken. So the lock is first renamed to a private name, and only deleted if it is still
 * the one judged stale; otherwise it is put back.
 */
async function breakStaleLock(
  fs: VaultFs,
  dir: string,
  staleRaw: string,
  random: RandomBytes,
): Promise<void> {
  const path = vaultPaths(dir).lock;
  // A temp-file name, so that if we are killed right here the next writer cleans it up.
  const aside = join(dir, `${TEMP_PREFIX}stale-lock-${random(8).toString('hex')}`);
  try {
    await fs.rename(path, aside);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return; // someone else broke or released it
    throw error;
  }
  const moved = await readLock(fs, aside);
  if (moved !== null && moved !== staleRaw) {
    // We moved a live lock: give it back (fails only if yet another lock appeared meanwhile).
    await fs.link(aside, path).catch(() => undefined);
  }
  await fs.unlink(aside).catch(() => undefined);
}

function heldLock(fs: VaultFs, path: string, token: string): VaultLock {
  let released = false;
  const stillHeld = async () => {
    const raw = await readLock(fs, path).catch(() => null);
    return raw !== null && parseLock(raw)?.token === token;
  };
  return {
    stillHeld,
    async release() {
      if (released) return;
      released = true;
      // Never delete a lock that is no longer ours.
      if (await stillHeld()) await fs.unlink(path).catch(() => undefined);
    },
  };
}
