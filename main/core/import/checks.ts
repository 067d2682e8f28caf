import type { ImportMark } from '../../../shared/contract';
import type { Account, OtpParams } from '../../../shared/domain';
import { DEFAULT_PERIOD } from '../../../shared/domain';
import { displayName } from '../accounts';
import type { ImportedEntry } from './types';

/** NIST SP 800-63B and RFC 4226 ask for at least 128-bit keys; many sites still use 80. */
const MIN_SECRET_BITS = 128;

/** What to say about a field a source could not carry, and the default Chronokey used. */
const DEFAULTS: Record<ImportedEntry['defaulted'][number], { field: string; used: string }> = {
  algorithm: { field: 'algorithm', used: 'SHA1' },
  digits: { field: 'number of digits', used: '6 digits' },
  period: { field: 'period', used: '30 seconds' },
  counter: { field: 'counter', used: 'counter 0' },
  issuer: { field: 'issuer', used: 'no issuer' },
};

export interface CheckedEntry {
  marks: ImportMark[];
  selected: boolean;
}

/** Two accounts with the same key hold the same secret for the same kind of code. */
export function secretKey(params: Pick<OtpParams, 'type' | 'secret'>): string {
  return `${params.type}:${params.secret}`;
}

/**
 * The first account holding each secret, for duplicate marks in constant time per entry (an
 * import of 100,000 links against a vault of as many is linear, not quadratic).
 */
export class SecretIndex<T extends { params: OtpParams } | OtpParams> {
  readonly #first = new Map<string, T>();

  constructor(items: Iterable<T> = []) {
    for (const item of items) this.add(item);
  }

  /** Remembers `item` unless an earlier one already holds its secret. */
  add(item: T): void {
    const key = secretKey('params' in item ? item.params : item);
    if (!this.#first.has(key)) this.#first.set(key, item);
  }

  find(params: Pick<OtpParams, 'type' | 'secret'>): T | undefined {
    return this.#first.get(secretKey(params));
  }
}

/**
 * The marks an entry gets in the preview. `inVault` is the vault's account with the same secret,
 * `twin` the entry of the same import listed before it with the same secret: a duplicate of
 * either is not picked by default.
 */
export function checkEntry(
  entry: ImportedEntry,
  formatLabel: string,
  inVault: Account | undefined,
  twin: { params: OtpParams; source: string } | undefined,
): CheckedEntry {
  const { params } = entry;
  const marks: ImportMark[] = [];
  if (inVault) {
    marks.push({
      code: 'DUPLICATE',
      message: `Already in your vault as "${clip(displayName(inVault))}" (same secret key).`,
    });
  } else if (twin) {
    marks.push({
      code: 'DUPLICATE_IN_IMPORT',
      message: `Also found earlier in this import ("${clip(displayName(twin.params))}" from ${clip(twin.source)}).`,
    });
  }
  for (const warning of entry.warnings)
    marks.push({ code: warning.code, message: warning.message });
  const bits = secretBits(params.secret);
  if (bits < MIN_SECRET_BITS) {
    marks.push({
      code: 'SHORT_SECRET',
      message: `The secret key is only ${bits} bits long; ${MIN_SECRET_BITS} bits or more is recommended. It works, but consider asking the site for a new one.`,
    });
  }
  if (params.type !== 'steam' && params.digits !== 6 && params.digits !== 8) {
    marks.push({
      code: 'UNUSUAL_DIGITS',
      message: `Codes have ${params.digits} digits; most sites use 6 or 8. Check that the site expects this.`,
    });
  }
  if (params.type !== 'hotp' && params.period !== DEFAULT_PERIOD) {
    marks.push({
      code: 'UNUSUAL_PERIOD',
      message: `Each code lasts ${params.period} seconds; most sites use ${DEFAULT_PERIOD}. Check that the site expects this.`,
    });
  }
  // A counter means nothing to a time-based account, nor a period to a counter-based one.
  const defaulted = entry.defaulted.filter((field) =>
    field === 'counter' ? params.type === 'hotp' : field !== 'period' || params.type !== 'hotp',
  );
  if (defaulted.length > 0) {
    const fields = defaulted.map((field) => DEFAULTS[field]);
    marks.push({
      code: 'DEFAULTED',
      message: `${formatLabel} carries no ${list(fields.map((f) => f.field))}; Chronokey used ${list(fields.map((f) => f.used))}.`,
    });
  }
  return { marks, selected: !inVault && !twin };
}

/** Whole bytes the base32 secret decodes to, in bits. */
export function secretBits(secret: string): number {
  return Math.floor((secret.length * 5) / 8) * 8;
}

function list(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`;
}

function clip(text: string, max = 120): string {
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max).join('')}…`;
}
