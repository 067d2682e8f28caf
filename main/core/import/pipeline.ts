import type { ImportPreview } from '../../../shared/contract';
import type { Account, AccountView } from '../../../shared/domain';
import type { VaultContent } from '../../../shared/vault-content';
import { toAccountView } from '../../../shared/domain';
import { ChronokeyError, isChronokeyError } from '../../../shared/errors';
import { displayName, newAccount } from '../accounts';
import type { Clock, TimerPort } from '../ports';
import type { CapturedDisplay } from '../qr/screen-capture-port';
import { createYielder } from '../yield';
import { SecretIndex } from './checks';
import { MAX_PREVIEW_ITEMS } from './limits';
import { PreviewStore } from './preview-store';
import type { PreviewState } from './preview-view';
import { cleanTags, emptyPreviewState, previewView } from './preview-view';
import type { ImportEngines, InputResult } from './read-input';
import { decodePending, readDisplays, readInput } from './read-input';
import type { ImportedEntry, ImportInput } from './types';

export type { CapturedDisplay };
export type { ImportEngines } from './read-input';
export { needsPasswordToRead } from './read-input';
export { cleanTags } from './preview-view';

/** How many inputs are read at once. */
const READ_CONCURRENCY = 4;

export interface Progress {
  done: number;
  total: number;
  stage: string;
}

export interface ImportPipelineDeps {
  engines: ImportEngines;
  clock: Clock;
  timers?: TimerPort;
  onProgress?: (progress: Progress) => void;
}

/**
 * The one import pipeline: decode → parse → check → preview → commit. Every source (text,
 * files, screen captures) becomes inputs; each input is read by the format its content matches
 * (read-input.ts); the entries found are checked against the vault and each other and shown as a
 * preview (preview-view.ts), which stays in main's memory (with its secrets) until it is
 * committed, cancelled, expires or the vault locks. The renderer only ever sees ImportItems,
 * which carry no secret. Every step is linear in the entries and yields to the event loop.
 */
export class ImportPipeline {
  readonly #store: PreviewStore<PreviewState>;

  constructor(private readonly deps: ImportPipelineDeps) {
    this.#store = new PreviewStore(deps.clock, deps.timers);
  }

  /** Reads inputs into a new preview, or into the open one named (the next Google batch part). */
  async addInputs(
    previewId: string | undefined,
    inputs: readonly ImportInput[],
    vault: VaultOwner,
  ): Promise<ImportPreview> {
    const { id, state } = this.#openOrGet(previewId, vault.owner);
    const named = inputs.map((input) => ({ input, source: uniqueName(state, input.name) }));
    const { signal } = state.abort;
    const results = await this.#each(
      named,
      { many: 'files', verb: 'Reading' },
      ({ source }) => source,
      ({ input, source }) => readInput(this.deps.engines, input, source, { signal }),
    );
    throwIfCancelled(signal);
    // Recorded in the order given, whatever order the reads finished in.
    for (const result of results) record(state, result);
    return previewView(id, state, vault.accounts);
  }

  /** Reads the QR codes on captured displays (a screen scan) into a preview. */
  async addDisplays(
    previewId: string | undefined,
    displays: readonly CapturedDisplay[],
    vault: VaultOwner,
  ): Promise<ImportPreview> {
    const { id, state } = this.#openOrGet(previewId, vault.owner);
    const { signal } = state.abort;
    const found = await this.#each(
      displays,
      { many: 'screens', verb: 'Scanning' },
      (display) => display.name,
      async (display) => {
        try {
          return await this.deps.engines.readQrCodesFromRgba(display, { signal });
        } catch (error) {
          // One display that cannot be searched (too busy, damaged) does not stop the others.
          if (!isChronokeyError(error) || error.code === 'IMPORT_CANCELLED') throw error;
          return { source: display.name, code: error.code, message: error.message };
        }
      },
    );
    throwIfCancelled(signal);
    record(state, await readDisplays(this.deps.engines, displays, found));
    return previewView(id, state, vault.accounts);
  }

  /** Retries an encrypted input with its password. A wrong password throws and changes nothing. */
  async unlock(
    previewId: string,
    source: string,
    password: string,
    vault: VaultOwner,
  ): Promise<ImportPreview> {
    const state = this.#store.get(previewId, vault.owner);
    const pending = state.pending.find((candidate) => candidate.source === source);
    if (!pending) {
      throw new ChronokeyError(
        'IMPORT_NO_PASSWORD_NEEDED',
        `"${source}" is not waiting for a password in this import.`,
      );
    }
    const result = await decodePending(pending, password);
    state.pending.splice(state.pending.indexOf(pending), 1);
    record(state, result);
    return previewView(previewId, state, vault.accounts);
  }

  /** The preview as it stands (marks recomputed against the vault's current accounts). */
  preview(previewId: string, vault: VaultOwner): Promise<ImportPreview> {
    return previewView(previewId, this.#store.get(previewId, vault.owner), vault.accounts);
  }

  /**
   * Adds the chosen items in one vault update: all of them or none. `update` is the session's
   * locked read-modify-write; it runs the change against the latest content on disk.
   */
  async commit(
    previewId: string,
    keys: readonly string[],
    owner: object,
    update: <T>(change: (draft: VaultContent) => T) => Promise<T>,
    /** `replace` (restoring a backup): the chosen accounts take the place of all others. */
    mode: 'merge' | 'replace' = 'merge',
  ): Promise<AccountView[]> {
    const state = this.#store.get(previewId, owner);
    const byKey = new Map(state.found.map((found) => [found.key, found]));
    const chosen = [...new Set(keys)].map((key) => {
      const found = byKey.get(key);
      if (!found) {
        throw new ChronokeyError(
          'IMPORT_ITEM_UNKNOWN',
          'One of the chosen accounts is not part of this import any more. Nothing was imported; start the import again.',
        );
      }
      return found;
    });
    const now = this.deps.clock.now();
    const breathe = createYielder();
    const accounts: Account[] = [];
    for (const found of chosen) {
      await breathe();
      accounts.push(accountFrom(found.entry, now));
    }
    const added = await update((draft) => {
      if (mode === 'replace') draft.accounts = [];
      const taken = new Set(draft.accounts.map((account) => account.id));
      chosen.forEach(({ entry }, index) => {
        // A Chronokey backup gives back the very same account (id, times) unless that id is taken.
        const account = accounts[index]!;
        const { restore } = entry;
        if (restore && !taken.has(restore.id)) {
          account.id = restore.id;
          account.createdAt = restore.createdAt;
          account.lastUsedAt = restore.lastUsedAt;
        }
        taken.add(account.id);
      });
      const holders = new SecretIndex<Account>(draft.accounts);
      for (const account of accounts) {
        const sharing = holders.find(account);
        if (sharing && account.warnings.length < 32) {
          account.warnings.push({
            code: 'SECRET_SHARED',
            message: `"${displayName(sharing).slice(0, 200)}" uses the same secret key.`,
          });
        }
        draft.accounts.push(account);
        holders.add(account);
      }
      return accounts.map(toAccountView);
    });
    this.#store.drop(previewId);
    return added;
  }

  /** Forgets a preview, and stops any search still running for it (its worker is ended). */
  cancel(previewId: string): void {
    this.#store.peek(previewId)?.abort.abort();
    this.#store.drop(previewId);
  }

  /** Forgets every preview (the vault was locked), stopping their searches. */
  clear(): void {
    for (const state of this.#store.values()) state.abort.abort();
    this.#store.clear();
  }

  #openOrGet(previewId: string | undefined, owner: object): { id: string; state: PreviewState } {
    if (previewId !== undefined) return { id: previewId, state: this.#store.get(previewId, owner) };
    const state = emptyPreviewState();
    return { id: this.#store.open(state, owner), state };
  }

  /**
   * Runs `read` over the items, a few at a time (QR searches run in worker threads, backup key
   * derivation in libuv's pool), and returns the results in the items' order. Reports progress
   * after each item when there is more than one.
   */
  async #each<T, R>(
    items: readonly T[],
    what: { many: string; verb: string },
    name: (item: T) => string,
    read: (item: T) => Promise<R>,
  ): Promise<R[]> {
    const report = items.length > 1 ? this.deps.onProgress : undefined;
    const total = items.length;
    report?.({ done: 0, total, stage: `${what.verb} ${total} ${what.many}` });
    const results = new Array<R>(total);
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const index = next++;
        const item = items[index]!;
        results[index] = await read(item);
        done += 1;
        report?.({ done, total, stage: `Done: ${name(item)}`.slice(0, 200) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, total) }, worker));
    return results;
  }
}

/** The unlocked vault an import belongs to, and its accounts (for duplicate marks). */
export interface VaultOwner {
  owner: object;
  accounts: readonly Account[];
}

/** Adds what one input produced to the preview (loops, never spreads: lists can be huge). */
function record(state: PreviewState, result: InputResult): void {
  for (const problem of result.problems) state.errors.push(problem);
  if (result.pending) state.pending.push(result.pending);
  for (const { name: source, decoded } of result.sources) {
    if (decoded.batch) {
      const { id, index, size } = decoded.batch;
      const batch = state.batches.get(id) ?? { size, parts: new Set<number>() };
      state.batches.set(id, batch);
      // The same part scanned again (or the same export file added twice) adds nothing.
      if (batch.parts.has(index)) continue;
      batch.parts.add(index);
    }
    if (state.found.length + decoded.entries.length > MAX_PREVIEW_ITEMS) {
      state.errors.push({
        source,
        code: 'IMPORT_TOO_MANY_ENTRIES',
        message: `This import already holds ${state.found.length.toLocaleString('en')} accounts; one import takes at most ${MAX_PREVIEW_ITEMS.toLocaleString('en')}, so the ${decoded.entries.length.toLocaleString('en')} in "${source}" were not added. Import them on their own.`,
      });
      continue;
    }
    for (const entry of decoded.entries) {
      state.found.push({ key: String(state.nextKey++), source, formatLabel: decoded.label, entry });
    }
    for (const skipped of decoded.skipped) state.skipped.push({ source, ...skipped });
  }
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new ChronokeyError('IMPORT_CANCELLED', 'The import was cancelled.');
}

function uniqueName(state: PreviewState, name: string): string {
  let unique = name.trim() === '' ? 'Untitled' : name;
  for (let n = 2; state.sourceNames.has(unique); n++) unique = `${name} (${n})`;
  state.sourceNames.add(unique);
  return unique;
}

export function accountFrom(entry: ImportedEntry, now: number): Account {
  const account = newAccount(
    {
      ...entry.params,
      issuer: entry.params.issuer.slice(0, 512),
      account: entry.params.account.slice(0, 512),
      warnings: entry.warnings.slice(0, 31).map((warning) => ({
        code: warning.code.slice(0, 64),
        message: warning.message.slice(0, 500),
      })),
    },
    now,
  );
  account.tags = cleanTags(entry.tags);
  account.favourite = entry.favourite;
  return account;
}
