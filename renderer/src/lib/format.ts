/** Pure helpers for showing accounts and codes; no DOM, so they are unit-tested in Node. */

/** "Issuer account", or whichever of the two is set: the name every label and button uses. */
export function accountLabel(issuer: string, account: string): string {
  const parts = [issuer.trim(), account.trim()].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(' ') : 'Unnamed account';
}

/**
 * Splits a code into groups that are easy to read aloud and type: 123 456, 123 4567,
 * 1234 5678, 123 456 789, 12345 67890. Steam's five letters stay together.
 */
export function groupCode(code: string): string {
  const length = code.length;
  if (length <= 5) return code;
  const sizes: Record<number, number[]> = {
    6: [3, 3],
    7: [3, 4],
    8: [4, 4],
    9: [3, 3, 3],
    10: [5, 5],
  };
  const groups = sizes[length] ?? [Math.ceil(length / 2), Math.floor(length / 2)];
  const out: string[] = [];
  let start = 0;
  for (const size of groups) {
    out.push(code.slice(start, start + size));
    start += size;
  }
  return out.join(' ');
}

/** What privacy mode shows instead of a code: dots in the same groups. */
export function maskCode(code: string): string {
  return groupCode('•'.repeat(Math.max(code.length, 5)));
}

/** Whole seconds until `validUntil`, never below 0 (a late refresh shows 0, not -1). */
export function secondsLeft(validUntil: number, nowMs: number): number {
  return Math.max(0, Math.ceil((validUntil - nowMs) / 1000));
}

/** One or two letters for an account without a brand icon. */
export function monogram(issuer: string, account: string): string {
  const source = (issuer.trim() || account.trim()).replace(/^[^\p{L}\p{N}]+/u, '');
  const first = Array.from(source)[0];
  return first ? first.toLocaleUpperCase() : '?';
}

/** A stable small number from text, used to pick a monogram colour. */
export function hashText(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}

/** Tags typed as "work, personal ,  Work" become ["work", "personal"] (first spelling wins). */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of text.split(',')) {
    const tag = raw.trim().replace(/\s+/g, ' ').slice(0, 64);
    const key = tag.toLocaleLowerCase();
    if (tag === '' || seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  return tags;
}

/** The modifier shortcuts use here: "⌘" on a Mac, "Ctrl+" elsewhere. */
export function modKey(platform: string = globalThis.navigator?.platform ?? ''): string {
  return platform.startsWith('Mac') ? '⌘' : 'Ctrl+';
}
