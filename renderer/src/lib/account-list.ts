import type { AccountView, Settings } from '../../../shared/domain';
import { accountLabel } from './format';

export type SortOrder = Settings['sortOrder'];

/** An account with what searching and sorting need, computed once per list change. */
export interface ListEntry {
  view: AccountView;
  /** "Issuer account": the accessible name of the row and its buttons. */
  label: string;
  /** Lower-case issuer, account and tags, so a keystroke is one `includes` per account. */
  searchKey: string;
  /** Lower-case tags for the tag filter. */
  tagKeys: string[];
  /** Position in the vault, which is the user's manual order. */
  manualIndex: number;
}

export function toEntries(views: readonly AccountView[]): ListEntry[] {
  return views.map((view, manualIndex) => ({
    view,
    label: accountLabel(view.issuer, view.account),
    searchKey: [view.issuer, view.account, ...view.tags].join('\n').toLocaleLowerCase(),
    tagKeys: view.tags.map((tag) => tag.toLocaleLowerCase()),
    manualIndex,
  }));
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function byName(a: ListEntry, b: ListEntry): number {
  return (
    collator.compare(a.view.issuer || a.view.account, b.view.issuer || b.view.account) ||
    collator.compare(a.view.account, b.view.account) ||
    a.manualIndex - b.manualIndex
  );
}

/**
 * When each account was last used, as the "Recently used" order sees it: a snapshot taken when
 * the list settles (the pointer leaves it, the window comes back, the order is chosen), so a
 * copy never moves a row under the pointer. Accounts missing from it use their own time.
 */
export type RecentSnapshot = ReadonlyMap<string, number | null>;

export function recentSnapshot(views: readonly AccountView[]): RecentSnapshot {
  return new Map(views.map((view) => [view.id, view.lastUsedAt]));
}

function byRecentUse(snapshot: RecentSnapshot | undefined) {
  const usedAt = (entry: ListEntry) =>
    (snapshot?.has(entry.view.id) ? snapshot.get(entry.view.id) : entry.view.lastUsedAt) ?? -1;
  return (a: ListEntry, b: ListEntry) => usedAt(b) - usedAt(a) || byName(a, b);
}

/** Favourites first, then the rest, each part in the chosen order. Done once per sort change. */
export function sortEntries(
  entries: readonly ListEntry[],
  order: SortOrder,
  snapshot?: RecentSnapshot,
): ListEntry[] {
  const compare =
    order === 'name'
      ? byName
      : order === 'recent'
        ? byRecentUse(snapshot)
        : (a: ListEntry, b: ListEntry) => a.manualIndex - b.manualIndex;
  const favourites = entries.filter((entry) => entry.view.favourite).sort(compare);
  const others = entries.filter((entry) => !entry.view.favourite).sort(compare);
  return favourites.concat(others);
}

/**
 * Keeps the entries whose issuer, account or tags contain every word of the query, and that
 * carry `tag` (when one is chosen). Sorted input stays sorted. Linear and allocation-light:
 * it runs on every keystroke over up to 10,000 accounts.
 */
export function filterEntries(
  sorted: readonly ListEntry[],
  query: string,
  tag: string | null,
): readonly ListEntry[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const tagKey = tag?.toLocaleLowerCase() ?? null;
  if (words.length === 0 && tagKey === null) return sorted;
  const out: ListEntry[] = [];
  outer: for (const entry of sorted) {
    if (tagKey !== null && !entry.tagKeys.includes(tagKey)) continue;
    for (const word of words) if (!entry.searchKey.includes(word)) continue outer;
    out.push(entry);
  }
  return out;
}

/** Every tag in the vault once (first spelling wins), sorted for the filter menu. */
export function allTags(views: readonly AccountView[]): string[] {
  const byKey = new Map<string, string>();
  for (const view of views) {
    for (const tag of view.tags) {
      const key = tag.toLocaleLowerCase();
      if (!byKey.has(key)) byKey.set(key, tag);
    }
  }
  return [...byKey.values()].sort((a, b) => collator.compare(a, b));
}

/**
 * Moving one account past its neighbour in what the user sees (which may be filtered):
 * returns the new manual order of every id, or null when it cannot move that way.
 * Favourites stay pinned above the rest, so a move never crosses that line.
 */
export function moveAccount(
  manualIds: readonly string[],
  shown: readonly ListEntry[],
  id: string,
  direction: 'up' | 'down',
): string[] | null {
  const at = shown.findIndex((entry) => entry.view.id === id);
  const neighbour = shown[direction === 'up' ? at - 1 : at + 1];
  const moving = shown[at];
  if (!moving || !neighbour || neighbour.view.favourite !== moving.view.favourite) return null;
  return placeAccount(manualIds, id, neighbour.view.id, direction === 'up' ? 'before' : 'after');
}

/** Drag and drop: puts `id` just before or after `targetId` in the manual order. */
export function placeAccount(
  manualIds: readonly string[],
  id: string,
  targetId: string,
  where: 'before' | 'after',
): string[] | null {
  if (id === targetId || !manualIds.includes(id) || !manualIds.includes(targetId)) return null;
  const rest = manualIds.filter((candidate) => candidate !== id);
  const targetAt = rest.indexOf(targetId);
  rest.splice(where === 'before' ? targetAt : targetAt + 1, 0, id);
  return rest.every((value, index) => value === manualIds[index]) ? null : rest;
}

/** Whether a move button has anywhere to go (same rule as `moveAccount`). */
export function canMove(shown: readonly ListEntry[], index: number, direction: 'up' | 'down') {
  const moving = shown[index];
  const neighbour = shown[direction === 'up' ? index - 1 : index + 1];
  return !!moving && !!neighbour && neighbour.view.favourite === moving.view.favourite;
}
