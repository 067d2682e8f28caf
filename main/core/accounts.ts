import { randomUUID } from 'node:crypto';
import type { Account, AccountView, OtpParams } from '../../shared/domain';
import type { VaultContent } from '../../shared/vault-content';
import { toAccountView } from '../../shared/domain';
import { ChronokeyError } from '../../shared/errors';
import type { ParsedOtpauth } from './otp/otpauth-uri';

/** Pure operations on the vault's content. They change the draft they are given. */

export function newAccount(parsed: ParsedOtpauth, now: number, id: string = randomUUID()): Account {
  const { warnings, ...params } = parsed;
  return {
    ...params,
    id,
    tags: [],
    favourite: false,
    createdAt: now,
    lastUsedAt: null,
    warnings,
  };
}

export function sameSecret(a: OtpParams, b: OtpParams): boolean {
  return a.type === b.type && a.secret === b.secret;
}

/** The very same account: every parameter of its link is equal (it was added twice). */
export function sameOtpParams(a: OtpParams, b: OtpParams): boolean {
  return (
    sameSecret(a, b) &&
    a.issuer === b.issuer &&
    a.account === b.account &&
    a.algorithm === b.algorithm &&
    a.digits === b.digits &&
    (a.type === 'hotp' ? a.counter === b.counter : a.period === b.period)
  );
}

export function findAccount(content: VaultContent, id: string): Account {
  const account = content.accounts.find((candidate) => candidate.id === id);
  if (!account) {
    throw new ChronokeyError(
      'ACCOUNT_NOT_FOUND',
      'That account is not in the vault any more. It may have been removed in another window.',
    );
  }
  return account;
}

export function removeAccount(
  content: VaultContent,
  id: string,
): { account: Account; index: number } {
  const account = findAccount(content, id);
  const index = content.accounts.indexOf(account);
  content.accounts.splice(index, 1);
  return { account, index };
}

/**
 * Puts the listed accounts in the given order. Accounts the caller did not list (added
 * elsewhere meanwhile) keep their relative order after the listed ones, so nothing is lost.
 */
export function reorderAccounts(content: VaultContent, ids: readonly string[]): void {
  const byId = new Map(content.accounts.map((account) => [account.id, account]));
  const seen = new Set<string>();
  const ordered: Account[] = [];
  for (const id of ids) {
    const account = byId.get(id);
    if (account && !seen.has(id)) {
      ordered.push(account);
      seen.add(id);
    }
  }
  for (const account of content.accounts) if (!seen.has(account.id)) ordered.push(account);
  content.accounts = ordered;
}

export function listViews(content: VaultContent): AccountView[] {
  return content.accounts.map(toAccountView);
}

/** `issuer:account` as people write it, for lists and matching. */
export function displayName(account: Pick<Account, 'issuer' | 'account'>): string {
  if (account.issuer && account.account) return `${account.issuer}:${account.account}`;
  return account.issuer || account.account || '(unnamed)';
}

/**
 * Finds accounts for a CLI query: an exact id, an id prefix of 6+ characters, or a
 * case-insensitive piece of "issuer:account" (or of a tag).
 */
export function matchAccounts(accounts: readonly Account[], query: string): Account[] {
  const exact = accounts.find((account) => account.id === query);
  if (exact) return [exact];
  const needle = query.trim().toLocaleLowerCase();
  if (needle.length >= 6) {
    const byPrefix = accounts.filter((account) => account.id.startsWith(needle));
    if (byPrefix.length > 0) return byPrefix;
  }
  const exactName = accounts.filter(
    (account) => displayName(account).toLocaleLowerCase() === needle,
  );
  if (exactName.length > 0) return exactName;
  return accounts.filter(
    (account) =>
      displayName(account).toLocaleLowerCase().includes(needle) ||
      account.tags.some((tag) => tag.toLocaleLowerCase().includes(needle)),
  );
}
