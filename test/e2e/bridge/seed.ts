import { createHash } from 'node:crypto';

/**
 * Deterministic test accounts. The tests know every secret, so they can check the codes the
 * app shows against an independent implementation (test/unit/core/otp/reference-otp.ts).
 */

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i + 5 <= bits.length; i += 5) out += BASE32[parseInt(bits.slice(i, i + 5), 2)];
  return out;
}

export interface SeedAccount {
  type: 'totp' | 'hotp' | 'steam';
  issuer: string;
  account: string;
  secret: string;
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  digits: number;
  period: number;
  counter: number;
  tags: string[];
  favourite: boolean;
}

// Issuers with a brand icon in simple-icons, plus some without (monogram).
const ISSUERS = [
  'GitHub',
  'Google',
  'Dropbox',
  'GitLab',
  'Mastodon',
  'Proton',
  'Northwind Bank',
  'Fabrikam',
  'Discord',
  'Bitwarden',
  'Cloudflare',
  'Contoso Mail',
];
const TAGS = ['work', 'personal', 'finance', 'dev'];

export function seedSecret(index: number): string {
  return base32Encode(createHash('sha1').update(`chronokey-e2e-${index}`).digest());
}

export function seedAccount(index: number): SeedAccount {
  const issuer = ISSUERS[index % ISSUERS.length] ?? 'Example';
  const round = Math.floor(index / ISSUERS.length);
  return {
    type: 'totp',
    issuer,
    account: round === 0 ? 'alice@example.com' : `user${round}@example.com`,
    secret: seedSecret(index),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    counter: 0,
    tags: [TAGS[index % TAGS.length] ?? 'work'],
    favourite: false,
  };
}

export function otpauthUri(account: SeedAccount): string {
  const query = new URLSearchParams({
    secret: account.secret,
    issuer: account.issuer,
    algorithm: account.algorithm,
    digits: String(account.digits),
  });
  if (account.type === 'hotp') query.set('counter', String(account.counter));
  else query.set('period', String(account.period));
  const label = `${encodeURIComponent(account.issuer)}:${encodeURIComponent(account.account)}`;
  return `otpauth://${account.type}/${label}?${query.toString()}`;
}
