import type { Account } from '../../../shared/domain';
import { formatOtpauthUri } from '../otp/otpauth-uri';

/** Said wherever the plain list is written: it holds every secret in clear text. */
export const OTPAUTH_WARNING =
  'This file is NOT encrypted: anyone who reads it can make your codes. Keep it only as long as you need it, then delete it.';

/** One otpauth:// link per line, in the user's order, ending with a newline. */
export function otpauthList(accounts: readonly Account[]): string {
  return accounts.map((account) => `${formatOtpauthUri(account)}\n`).join('');
}
