import {
  MIN_PASSWORD_SCORE,
  describeStrength,
  loadStrengthChecker,
} from '../../shared/password-strength';
import { ChronokeyError } from '../../shared/errors';

/** What a new password protects, as the sentence names it. */
export type PasswordPurpose = 'master' | 'backup' | 'export' | 'sync';

const NAMES: Record<PasswordPurpose, string> = {
  master: 'master password',
  backup: 'automatic backup password',
  export: 'password for the export',
  sync: 'sync password',
};

/**
 * Refuses a new password that is too easy to guess, with the same estimator and floor the
 * window's strength meter uses (shared/password-strength.ts): the master password, the sync
 * password and every export or backup password, whether set in the app or the CLI. Passwords
 * already in use are never checked again (a vault made with a weak one still opens).
 */
export async function requireStrongPassword(
  password: string,
  purpose: PasswordPurpose,
): Promise<void> {
  const check = await loadStrengthChecker();
  // Beyond 256 characters a password is long enough; the estimator's cost grows with length.
  const strength = describeStrength(check(password.slice(0, 256)));
  if (strength.score >= MIN_PASSWORD_SCORE) return;
  throw new ChronokeyError(
    'PASSWORD_TOO_WEAK',
    `This ${NAMES[purpose]} is too easy to guess (${strength.verdict.toLowerCase()}). ${strength.sentence} A few unrelated words make a strong one.`,
  );
}
