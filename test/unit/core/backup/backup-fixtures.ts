import { randomBytes } from 'node:crypto';
import type { Account } from '../../../../shared/domain';
import { bytesToBase32 } from '../../../../main/core/otp/base32';
import {
  referenceBase32Decode,
  referenceHotp,
  referenceSteam,
  referenceTotp,
} from '../otp/reference-otp';

/**
 * A vault's worth of accounts of every kind, with every field set to something other than its
 * default: tags, favourites, counters, last-used times, warnings, names with non-ASCII text.
 */
export function sampleAccounts(count: number, seed = 'b'): Account[] {
  const algorithms = ['SHA1', 'SHA256', 'SHA512'] as const;
  return Array.from({ length: count }, (_, index): Account => {
    const type = (['totp', 'hotp', 'steam'] as const)[index % 3]!;
    const algorithm = type === 'steam' ? 'SHA1' : algorithms[Math.floor(index / 3) % 3]!;
    return {
      id: `${seed}-${index}-${randomBytes(4).toString('hex')}`,
      type,
      issuer: index % 7 === 0 ? '' : `Issuer ${index % 50} Ünïcödé`,
      account: `user${index}@example.com`,
      secret: bytesToBase32(randomBytes(10 + (index % 3) * 10)),
      algorithm,
      digits: type === 'steam' ? 5 : [6, 7, 8][index % 3]!,
      period: type === 'totp' ? [30, 60, 15][index % 3]! : 30,
      counter: type === 'hotp' ? index * 3 : 0,
      tags: index % 4 === 0 ? [] : [`tag${index % 5}`, `group ${index % 3}`],
      favourite: index % 5 === 0,
      createdAt: 1_700_000_000_000 + index,
      lastUsedAt: index % 2 === 0 ? null : 1_700_000_500_000 + index,
      warnings:
        index % 11 === 0 ? [{ code: 'ISSUER_MISMATCH', message: `Warning for ${index}` }] : [],
    };
  });
}

/** The account's code at `nowMs`, from the independent reference implementation. */
export function referenceCode(account: Account, nowMs: number): string {
  const key = referenceBase32Decode(account.secret);
  if (account.type === 'steam') return referenceSteam(key, Math.floor(nowMs / 1000));
  if (account.type === 'hotp')
    return referenceHotp(key, account.algorithm, account.digits, account.counter);
  return referenceTotp(
    key,
    account.algorithm,
    account.digits,
    account.period,
    Math.floor(nowMs / 1000),
  );
}
