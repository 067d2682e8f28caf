import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Account, OtpParams } from '../../../shared/domain';
import { ChronokeyError, isChronokeyError, toErrorShape } from '../../../shared/errors';
import type { FollowReport, StoredFollow } from '../../../shared/follow-state';
import type { VaultContent } from '../../../shared/vault-content';
import { displayName } from '../accounts';
import { readRegularFile } from '../files/read-regular-file';
import { cleanTags } from '../import/preview-view';
import { accountFrom } from '../import/pipeline';
import { decodePending, readInput, type ImportEngines } from '../import/read-input';
import { MAX_INPUT_BYTES } from '../import/sniff';
import type { ImportedEntry } from '../import/types';
import { newestBackup, type FolderFile } from './newest-backup';

/**
 * One pass over a followed folder (docs/follow.md): the newest backup by the app's naming, read
 * through the import pipeline with the stored password, merged one way into the vault. New
 * accounts are added; a name, issuer or tag the phone changed since its previous backup is
 * updated; HOTP counters go to the higher one; accounts the newest backup no longer holds are
 * never removed here, only listed as missing for the person to decide. A file still being copied
 * in is tried again later; a wrong password or a damaged file is reported and changes nothing.
 */

export interface FollowVault {
  content(): Promise<VaultContent>;
  update<T>(change: (draft: VaultContent) => T): Promise<T>;
}

export interface FollowPassDeps {
  vault: FollowVault;
  engines: ImportEngines;
  clock: { now(): number };
  /** The folder's files (node:fs by default). */
  list?: (folder: string) => Promise<FolderFile[]>;
  read?: (path: string) => Promise<Uint8Array>;
}

/** A file changed this recently may still be arriving: damage is not believed yet. */
export const SETTLE_MS = 60_000;
/** Younger than this, a file is not read at all (the engine is likely still writing it). */
export const FRESH_MS = 2_000;

export async function listFolder(folder: string): Promise<FolderFile[]> {
  const names = await readdir(folder);
  const files: FolderFile[] = [];
  for (const name of names) {
    try {
      const info = await stat(join(folder, name));
      if (info.isFile()) files.push({ name, mtimeMs: info.mtimeMs, size: info.size });
    } catch {
      // Gone since the listing: a later pass sees the folder as it is then.
    }
  }
  return files;
}

/** The key a followed account is known by: its type and secret, never the secret itself. */
export function followKey(params: Pick<OtpParams, 'type' | 'secret'>): string {
  return createHash('sha256').update(`${params.type}:${params.secret}`).digest('hex').slice(0, 32);
}

function report(fields: Partial<FollowReport> & { at: number }): FollowReport {
  return {
    file: null,
    app: null,
    backupAt: null,
    added: 0,
    changed: 0,
    missing: 0,
    waiting: false,
    problem: null,
    ...fields,
  };
}

function problemReport(at: number, file: string | null, error: unknown): FollowReport {
  const shape = toErrorShape(error);
  return report({ at, file, problem: { code: shape.code, message: shape.message.slice(0, 2000) } });
}

/** A file that cannot be read at all (gone, no permission) says so, naming it. */
function readError(name: string, error: unknown): unknown {
  if (isChronokeyError(error)) return error;
  const code = (error as { code?: string }).code ?? 'unknown error';
  return new ChronokeyError(
    'FOLLOW_FILE_UNREADABLE',
    `Chronokey cannot read "${name}" (${code}). Check that your sync app has finished copying it and that it may be read.`,
  );
}

function stampOf(file: FolderFile): string {
  return `${Math.floor(file.mtimeMs)}:${file.size}`;
}

/** Codes that mean "not whole yet" while the file is young. */
const INCOMPLETE = new Set([
  'IMPORT_MALFORMED',
  'IMPORT_MALFORMED_JSON',
  'IMPORT_EMPTY',
  'IMPORT_UNSUPPORTED_FORMAT',
  'MIGRATION_INVALID',
]);

/**
 * Reads the followed folder's newest backup and merges it; returns what the pass did (also kept
 * as the follow's `last`). `force`: read the newest backup even if it was read before.
 */
export async function runFollowPass(
  deps: FollowPassDeps,
  followId: string,
  options: { force?: boolean } = {},
): Promise<FollowReport> {
  const now = deps.clock.now();
  const follow = (await deps.vault.content()).follows?.find(
    (candidate) => candidate.id === followId,
  );
  if (!follow) throw new ChronokeyError('FOLLOW_UNKNOWN', 'That folder is no longer followed.');
  const list = deps.list ?? listFolder;
  const read = deps.read ?? ((path: string) => readRegularFile(path, MAX_INPUT_BYTES));

  let files: FolderFile[];
  try {
    files = await list(follow.folder);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unknown error';
    return keep(
      deps,
      followId,
      problemReport(
        now,
        null,
        new ChronokeyError(
          'FOLLOW_FOLDER_UNREADABLE',
          `Chronokey cannot read the folder "${follow.folder}" (${code}). Check that it exists and that your sync app has finished setting it up.`,
        ),
      ),
    );
  }
  const newest = newestBackup(files);
  if (newest === null) {
    return keep(
      deps,
      followId,
      problemReport(
        now,
        null,
        new ChronokeyError(
          'FOLLOW_NO_BACKUP',
          `There is no backup in "${follow.folder}" yet. Turn on automatic backups into this folder in the phone app.`,
        ),
      ),
    );
  }
  // The same backup as last time: nothing new to read (a wrong password is not tried again
  // until the password or the file changes).
  const unchanged =
    follow.file === newest.name &&
    follow.fileStamp === stampOf(newest) &&
    follow.last?.waiting !== true;
  if (unchanged && !options.force) return follow.last ?? report({ at: now, file: newest.name });
  if (now - newest.mtimeMs < FRESH_MS) {
    return keep(
      deps,
      followId,
      report({ at: now, file: newest.name, backupAt: newest.at, waiting: true }),
    );
  }

  let entries: ImportedEntry[];
  let app: string;
  try {
    const bytes = await read(join(follow.folder, newest.name));
    ({ entries, app } = await decodeBackup(deps.engines, newest.name, bytes, follow.password));
  } catch (error) {
    const settling = now - newest.mtimeMs < SETTLE_MS;
    if (settling && isChronokeyError(error) && INCOMPLETE.has(error.code)) {
      return keep(
        deps,
        followId,
        report({ at: now, file: newest.name, backupAt: newest.at, waiting: true }),
      );
    }
    const failed = problemReport(now, newest.name, readError(newest.name, error));
    failed.backupAt = newest.at;
    // Reported once: the same file is not read again until it, or the password, changes.
    return keep(deps, followId, failed, {
      file: newest.name,
      backupAt: newest.at,
      fileStamp: stampOf(newest),
    });
  }

  return deps.vault.update((draft) => {
    const stored = draft.follows?.find((candidate) => candidate.id === followId);
    if (!stored) throw new ChronokeyError('FOLLOW_UNKNOWN', 'That folder is no longer followed.');
    const done = merge(draft, stored, entries, now);
    stored.file = newest.name;
    stored.backupAt = newest.at;
    stored.fileStamp = stampOf(newest);
    stored.last = report({ at: now, file: newest.name, app, backupAt: newest.at, ...done });
    return stored.last;
  });
}

/**
 * Stores a pass's report (one that changed no account). The same report as last time (the same
 * problem, still waiting) is not written again, so the window hears of it once.
 */
async function keep(
  deps: FollowPassDeps,
  followId: string,
  last: FollowReport,
  read?: { file: string; backupAt: number; fileStamp: string },
): Promise<FollowReport> {
  const stored = (await deps.vault.content()).follows?.find(
    (candidate) => candidate.id === followId,
  );
  if (
    stored?.last &&
    sameReport(stored.last, last) &&
    (!read || stored.fileStamp === read.fileStamp)
  ) {
    return stored.last;
  }
  await deps.vault.update((draft) => {
    const follow = draft.follows?.find((candidate) => candidate.id === followId);
    if (!follow) return;
    follow.last = last;
    if (read) Object.assign(follow, read);
  });
  return last;
}

/** Equal in everything but when (field by field: a stored report's keys come in another order). */
function sameReport(a: FollowReport, b: FollowReport): boolean {
  return (
    a.file === b.file &&
    a.app === b.app &&
    a.backupAt === b.backupAt &&
    a.added === b.added &&
    a.changed === b.changed &&
    a.missing === b.missing &&
    a.waiting === b.waiting &&
    a.problem?.code === b.problem?.code &&
    a.problem?.message === b.problem?.message
  );
}

async function decodeBackup(
  engines: ImportEngines,
  name: string,
  bytes: Uint8Array,
  password: string | null,
): Promise<{ entries: ImportedEntry[]; app: string }> {
  let result = await readInput(engines, { name, bytes }, name);
  if (result.pending) {
    if (password === null) {
      throw new ChronokeyError(
        'FOLLOW_PASSWORD_REQUIRED',
        `"${name}" is encrypted: give the password of the app's backups (Settings → Sync → Follow backups).`,
      );
    }
    result = await decodePending(result.pending, password);
  }
  const problem = result.problems[0];
  if (result.sources.length === 0 && problem)
    throw new ChronokeyError(problem.code, problem.message);
  if (result.sources.length === 0)
    throw new ChronokeyError('FOLLOW_NO_ACCOUNTS', `"${name}" holds no accounts.`);
  return {
    entries: result.sources.flatMap((source) => source.decoded.entries),
    app: result.sources[0]!.decoded.label,
  };
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag, index) => tag === b[index]);
}

/** The one-way merge of a backup's entries into the vault, under the vault's lock. */
function merge(
  draft: VaultContent,
  follow: StoredFollow,
  entries: readonly ImportedEntry[],
  now: number,
): Pick<FollowReport, 'added' | 'changed' | 'missing'> {
  const byId = new Map(draft.accounts.map((account) => [account.id, account]));
  const bySecret = new Map<string, Account>();
  for (const account of draft.accounts) {
    const key = followKey(account);
    if (!bySecret.has(key)) bySecret.set(key, account);
  }
  const inBackup = new Set<string>();
  let added = 0;
  let changed = 0;
  for (const entry of entries) {
    const key = followKey(entry.params);
    if (inBackup.has(key)) continue; // the same account twice in one backup
    inBackup.add(key);
    const previous = follow.seen[key];
    const tags = cleanTags(entry.tags);
    let account = (previous && byId.get(previous.accountId)) ?? bySecret.get(key);
    if (!account) {
      account = accountFrom(entry, now);
      draft.accounts.push(account);
      byId.set(account.id, account);
      bySecret.set(key, account);
      added += 1;
    } else if (previous) {
      // Only what the phone changed since its previous backup: the person's own edits here stay.
      let edited = false;
      const issuer = entry.params.issuer.slice(0, 512);
      const name = entry.params.account.slice(0, 512);
      if (issuer !== previous.issuer && issuer !== account.issuer) {
        account.issuer = issuer;
        edited = true;
      }
      if (name !== previous.account && name !== account.account) {
        account.account = name;
        edited = true;
      }
      if (!sameTags(tags, previous.tags) && !sameTags(tags, account.tags)) {
        account.tags = tags;
        edited = true;
      }
      if (account.type === 'hotp' && entry.params.counter > account.counter) {
        account.counter = entry.params.counter;
        edited = true;
      }
      if (edited) changed += 1;
    } else if (account.type === 'hotp' && entry.params.counter > account.counter) {
      account.counter = entry.params.counter;
      changed += 1;
    }
    follow.seen[key] = {
      accountId: account.id,
      issuer: entry.params.issuer.slice(0, 512),
      account: entry.params.account.slice(0, 512),
      tags,
      counter: entry.params.counter,
      label: displayName(account).slice(0, 1100),
    };
  }
  // Gone from the phone's newest backup: asked about, never removed here.
  const missing = new Set(follow.missing.filter((key) => !inBackup.has(key)));
  for (const [key, seen] of Object.entries(follow.seen)) {
    if (inBackup.has(key)) continue;
    if (!byId.has(seen.accountId) || follow.kept.includes(key)) {
      // Removed here already, or kept on purpose: nothing to ask.
      delete follow.seen[key];
      missing.delete(key);
      continue;
    }
    missing.add(key);
  }
  follow.missing = [...missing];
  follow.kept = follow.kept.filter((key) => !inBackup.has(key));
  return { added, changed, missing: follow.missing.length };
}

/** The person's answer to "Removed on the phone?": remove those accounts, or keep them. */
export function resolveMissing(draft: VaultContent, followId: string, remove: boolean): number {
  const follow = draft.follows?.find((candidate) => candidate.id === followId);
  if (!follow || follow.missing.length === 0) {
    throw new ChronokeyError('FOLLOW_NOTHING_MISSING', 'No account is waiting for that decision.');
  }
  const ids = new Set(
    follow.missing.map((key) => follow.seen[key]?.accountId).filter((id) => id !== undefined),
  );
  let removed = 0;
  if (remove) {
    const before = draft.accounts.length;
    draft.accounts = draft.accounts.filter((account) => !ids.has(account.id));
    removed = before - draft.accounts.length;
    for (const key of follow.missing) delete follow.seen[key];
  } else {
    follow.kept = [...new Set([...follow.kept, ...follow.missing])];
    for (const key of follow.missing) delete follow.seen[key];
  }
  follow.missing = [];
  if (follow.last) follow.last.missing = 0;
  return removed;
}
