import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../../shared/domain';
import {
  allTags,
  canMove,
  filterEntries,
  moveAccount,
  placeAccount,
  sortEntries,
  toEntries,
} from '../../../renderer/src/lib/account-list';

function view(id: string, issuer: string, account: string, extra: Partial<AccountView> = {}) {
  return {
    id,
    type: 'totp',
    issuer,
    account,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    counter: 0,
    tags: [],
    favourite: false,
    createdAt: 0,
    lastUsedAt: null,
    warnings: [],
    ...extra,
  } satisfies AccountView;
}

const views: AccountView[] = [
  view('a', 'Zeta Bank', 'me', { tags: ['Finance'], lastUsedAt: 10 }),
  view('b', 'GitHub', 'alex', { tags: ['work', 'dev'] }),
  view('c', 'amazon', 'shop', { favourite: true, lastUsedAt: 5 }),
  view('d', '', 'only-name', { lastUsedAt: 20 }),
  view('e', 'Gitea', 'alex', { favourite: true, tags: ['dev'] }),
];
const ids = (list: readonly { view: AccountView }[]) => list.map((entry) => entry.view.id);

describe('sorting', () => {
  const entries = toEntries(views);

  it('manual order keeps the vault order with favourites pinned on top', () => {
    expect(ids(sortEntries(entries, 'manual'))).toEqual(['c', 'e', 'a', 'b', 'd']);
  });

  it('sorts by name case-insensitively, using the account when there is no issuer', () => {
    expect(ids(sortEntries(entries, 'name'))).toEqual(['c', 'e', 'b', 'd', 'a']);
  });

  it('sorts by most recent use, never-used last', () => {
    expect(ids(sortEntries(entries, 'recent'))).toEqual(['c', 'e', 'd', 'a', 'b']);
  });
});

describe('filtering', () => {
  const sorted = sortEntries(toEntries(views), 'manual');

  it('matches every word against issuer, account and tags, ignoring case', () => {
    expect(ids(filterEntries(sorted, 'GIT', null))).toEqual(['e', 'b']);
    expect(ids(filterEntries(sorted, 'git alex work', null))).toEqual(['b']);
    expect(ids(filterEntries(sorted, 'finance', null))).toEqual(['a']);
    expect(ids(filterEntries(sorted, 'only-name', null))).toEqual(['d']);
    expect(filterEntries(sorted, 'nothing like this', null)).toEqual([]);
  });

  it('returns the same array when there is nothing to filter', () => {
    expect(filterEntries(sorted, '   ', null)).toBe(sorted);
  });

  it('filters by tag, whatever its case, together with the query', () => {
    expect(ids(filterEntries(sorted, '', 'DEV'))).toEqual(['e', 'b']);
    expect(ids(filterEntries(sorted, 'hub', 'dev'))).toEqual(['b']);
  });

  it('lists each tag once, sorted', () => {
    expect(allTags([...views, view('f', 'X', 'y', { tags: ['WORK', 'Art'] })])).toEqual([
      'Art',
      'dev',
      'Finance',
      'work',
    ]);
  });
});

describe('reordering', () => {
  const manualIds = views.map((v) => v.id);
  const shown = sortEntries(toEntries(views), 'manual'); // c e a b d

  it('moves past the neighbour the user sees', () => {
    expect(moveAccount(manualIds, shown, 'b', 'up')).toEqual(['b', 'a', 'c', 'd', 'e']);
    expect(moveAccount(manualIds, shown, 'a', 'down')).toEqual(['b', 'a', 'c', 'd', 'e']);
  });

  it('never moves across the favourites line or past the ends', () => {
    expect(moveAccount(manualIds, shown, 'a', 'up')).toBeNull();
    expect(moveAccount(manualIds, shown, 'e', 'down')).toBeNull();
    expect(moveAccount(manualIds, shown, 'c', 'up')).toBeNull();
    expect(moveAccount(manualIds, shown, 'd', 'down')).toBeNull();
    expect(canMove(shown, 1, 'down')).toBe(false);
    expect(canMove(shown, 2, 'down')).toBe(true);
  });

  it('moves within a filtered view by the shown neighbour, keeping hidden accounts in place', () => {
    const filtered = filterEntries(shown, 'me', null); // "Zeta Bank me" and "only-name"
    expect(ids(filtered)).toEqual(['a', 'd']);
    expect(moveAccount(manualIds, filtered, 'a', 'down')).toEqual(['b', 'c', 'd', 'a', 'e']);
    expect(moveAccount(manualIds, filtered, 'd', 'up')).toEqual(['d', 'a', 'b', 'c', 'e']);
  });

  it('drops before or after a target, and reports no change as null', () => {
    expect(placeAccount(manualIds, 'e', 'a', 'before')).toEqual(['e', 'a', 'b', 'c', 'd']);
    expect(placeAccount(manualIds, 'a', 'e', 'after')).toEqual(['b', 'c', 'd', 'e', 'a']);
    expect(placeAccount(manualIds, 'a', 'b', 'before')).toBeNull();
    expect(placeAccount(manualIds, 'a', 'a', 'after')).toBeNull();
    expect(placeAccount(manualIds, 'a', 'missing', 'after')).toBeNull();
  });
});
