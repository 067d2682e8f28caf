import type { ImportItem, ImportPreview } from '../../../shared/contract';
import type { Account } from '../../../shared/domain';
import { toWellFormed } from '../otp/percent-decode';
import { createYielder } from '../yield';
import { SecretIndex, checkEntry } from './checks';
import { MAX_LISTED_PROBLEMS } from './limits';
import type { PendingPassword } from './read-input';
import { clip } from './read-input';
import type { ImportProblem } from './text-format';
import type { ImportedEntry } from './types';

/** An account found by an import, as the preview keeps it (with its secret, in main only). */
export interface Found {
  key: string;
  source: string;
  formatLabel: string;
  entry: ImportedEntry;
}

/** Everything one open preview holds. */
export interface PreviewState {
  found: Found[];
  skipped: ImportPreview['skipped'];
  errors: ImportProblem[];
  pending: PendingPassword[];
  /** Google batches: parts seen per batch id (parts scanned twice are ignored). */
  batches: Map<number, { size: number; parts: Set<number> }>;
  sourceNames: Set<string>;
  nextKey: number;
  /** Aborted when the preview is cancelled or dropped: stops its QR searches. */
  abort: AbortController;
}

export function emptyPreviewState(): PreviewState {
  return {
    found: [],
    skipped: [],
    errors: [],
    pending: [],
    batches: new Map(),
    sourceNames: new Set(),
    nextKey: 1,
    abort: new AbortController(),
  };
}

/**
 * What the window sees of a preview: items without secrets, with marks computed against the
 * vault's current accounts. Linear in the items and the vault (duplicates are found through a
 * SecretIndex), and it gives the event loop a turn as it goes.
 */
export async function previewView(
  id: string,
  state: PreviewState,
  vault: readonly Account[],
): Promise<ImportPreview> {
  const inVault = new SecretIndex<Account>(vault);
  const earlier = new SecretIndex<{ params: ImportedEntry['params']; source: string }>();
  const breathe = createYielder();
  const items: ImportItem[] = [];
  for (const found of state.found) {
    await breathe();
    const { params, tags } = found.entry;
    const checked = checkEntry(
      found.entry,
      found.formatLabel,
      inVault.find(params),
      earlier.find(params),
    );
    earlier.add({ params, source: found.source });
    items.push({
      key: found.key,
      source: clip(found.source, 512),
      type: params.type,
      issuer: params.issuer,
      account: params.account,
      algorithm: params.algorithm,
      digits: params.digits,
      period: params.period,
      counter: params.counter,
      tags: cleanTags(tags),
      marks: checked.marks,
      selected: checked.selected,
    });
  }
  return {
    id,
    items,
    skipped: listed(state.skipped, (more) => ({
      source: 'This import',
      name: `${more.toLocaleString('en')} more`,
      code: 'IMPORT_MORE_NOT_LISTED',
      message: `${more.toLocaleString('en')} more entries cannot be imported; they are not listed one by one.`,
    })),
    errors: listed(state.errors, (more) => ({
      source: 'This import',
      code: 'IMPORT_MORE_NOT_LISTED',
      message: `${more.toLocaleString('en')} more problems are not listed one by one.`,
    })),
    needsPassword: state.pending.map(({ source, label }) => ({ source, label })),
    batches: [...state.batches]
      .filter(([, batch]) => batch.size > 1)
      .map(([batchId, batch]) => ({ id: batchId, scanned: batch.parts.size, size: batch.size })),
  };
}

/** The first MAX_LISTED_PROBLEMS of a list, and one line counting the rest. */
function listed<T>(all: readonly T[], summary: (more: number) => T): T[] {
  if (all.length <= MAX_LISTED_PROBLEMS) return [...all];
  return [...all.slice(0, MAX_LISTED_PROBLEMS), summary(all.length - MAX_LISTED_PROBLEMS)];
}

/** Tags as the vault stores them: trimmed, non-empty, at most 64 characters, at most 64 tags. */
export function cleanTags(tags: readonly string[]): string[] {
  const cleaned = tags
    .map((tag) => toWellFormed(tag.trim().slice(0, 64)).trim())
    .filter((tag) => tag !== '');
  return [...new Set(cleaned)].slice(0, 64);
}
