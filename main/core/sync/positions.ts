import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

/**
 * Account order in sync: each account has a position (a fractional index, compared by
 * character code) and the manual order is the accounts sorted by it. Recording a new order
 * gives new positions only to the accounts that moved, so two devices moving different
 * accounts both keep their moves.
 */

export function isValidPosition(key: string): boolean {
  try {
    generateKeyBetween(key, null);
    return true;
  } catch {
    return false;
  }
}

/**
 * The positions to change so that sorting by (position, id) gives `order`. The longest run of
 * accounts already in that order keeps its positions; each other account (new, moved, or with
 * a position that is not valid) gets one between its neighbours.
 */
export function repositionFor(
  order: readonly string[],
  positionOf: (id: string) => string | undefined,
): Map<string, string> {
  const keys = order.map((id) => {
    const key = positionOf(id);
    return key !== undefined && isValidPosition(key) ? key : undefined;
  });
  const keep = longestOrderedRun(order, keys);
  const changed = new Map<string, string>();
  let index = 0;
  while (index < order.length) {
    if (keep.has(index)) {
      index += 1;
      continue;
    }
    const start = index;
    const before = start > 0 ? (changed.get(order[start - 1]!) ?? keys[start - 1]!) : null;
    // A new position must be strictly between its neighbours': kept accounts that share the
    // position before the run move with it.
    while (
      index < order.length &&
      (!keep.has(index) || (before !== null && keys[index]! <= before))
    ) {
      index += 1;
    }
    const after = index < order.length ? keys[index]! : null;
    const fresh = generateNKeysBetween(before, after, index - start);
    for (let offset = 0; offset < fresh.length; offset += 1) {
      changed.set(order[start + offset]!, fresh[offset]!);
    }
  }
  return changed;
}

/**
 * Indexes of a longest subsequence already sorted by (key, id), the order the vault shows
 * (O(n log n), patience sorting); undefined keys are never in it.
 */
function longestOrderedRun(
  ids: readonly string[],
  keys: readonly (string | undefined)[],
): Set<number> {
  const before = (a: number, b: number) =>
    keys[a]! < keys[b]! || (keys[a] === keys[b] && ids[a]! < ids[b]!);
  const tails: number[] = [];
  const previous = new Array<number>(keys.length).fill(-1);
  keys.forEach((key, index) => {
    if (key === undefined) return;
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (before(tails[middle]!, index)) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[index] = tails[low - 1]!;
    tails[low] = index;
  });
  const kept = new Set<number>();
  let at = tails.length > 0 ? tails[tails.length - 1]! : -1;
  while (at !== -1) {
    kept.add(at);
    at = previous[at]!;
  }
  return kept;
}
