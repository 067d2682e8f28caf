import type { ManualAccount } from '../../../../shared/contract';

export type Field = 'issuer' | 'account' | 'secret' | 'digits' | 'period' | 'counter' | 'algorithm';

/** What the manual form holds, as typed (numbers as text until they are checked). */
export interface ManualFields {
  type: ManualAccount['type'];
  issuer: string;
  account: string;
  secret: string;
  algorithm: ManualAccount['algorithm'];
  digits: string;
  period: string;
  counter: string;
}

export const EMPTY_MANUAL: ManualFields = {
  type: 'totp',
  issuer: '',
  account: '',
  secret: '',
  algorithm: 'SHA1',
  digits: '6',
  period: '30',
  counter: '0',
};

export const ADVANCED_FIELDS: readonly Field[] = ['digits', 'period', 'counter', 'algorithm'];

/** Which field a core error code belongs to, so the message appears right under it. */
export function fieldForError(code: string): Field | null {
  if (code.startsWith('SECRET_')) return 'secret';
  if (code === 'DIGITS_INVALID') return 'digits';
  if (code === 'PERIOD_INVALID') return 'period';
  if (code === 'COUNTER_INVALID' || code === 'COUNTER_MISSING') return 'counter';
  if (code === 'ALGORITHM_UNSUPPORTED') return 'algorithm';
  if (code === 'LABEL_TOO_LONG') return 'issuer';
  return null;
}

/** Sites give keys of at least 80 bits (16 base32 characters); RFC 4226 asks for 128. */
export const MIN_SECRET_BITS = 80;

/** The bits a typed base32 key holds (spaces, dashes and padding ignored), whole bytes only. */
export function typedSecretBits(secret: string): number {
  const characters = secret.replace(/[\s=-]/g, '').length;
  return Math.floor((characters * 5) / 8) * 8;
}

/** What is wrong with the fields before main is asked at all. */
export function localErrors(fields: ManualFields): Partial<Record<Field, string>> {
  const found: Partial<Record<Field, string>> = {};
  if (fields.issuer.trim() === '' && fields.account.trim() === '') {
    found.issuer = 'Give the account a name: the site (issuer), your account name, or both.';
  }
  if (fields.secret.trim() === '') {
    found.secret = 'The secret key is empty. Copy the whole key from the site and try again.';
  }
  const whole = (value: string) => /^\d+$/.test(value.trim());
  if (!whole(fields.digits)) found.digits = 'Digits must be a whole number, usually 6.';
  if (fields.type !== 'hotp' && !whole(fields.period)) {
    found.period = 'The period must be a whole number of seconds, usually 30.';
  }
  if (fields.type === 'hotp' && !whole(fields.counter)) {
    found.counter = 'The counter must be a whole number, usually 0.';
  }
  return found;
}

/** True when the person has typed something that closing the dialog would lose. */
export function manualTyped(fields: ManualFields): boolean {
  return (Object.keys(EMPTY_MANUAL) as Array<keyof ManualFields>).some(
    (key) => fields[key] !== EMPTY_MANUAL[key],
  );
}
