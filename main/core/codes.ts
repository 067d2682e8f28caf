import type { Account, CodeView } from '../../shared/domain';
import { currentCode, nextCode } from './otp/generate';

/** The code an account shows now: time-based ones with their validity, HOTP for its counter. */
export function codeView(account: Account, nowMs: number): CodeView {
  const current = currentCode(account, nowMs);
  if (account.type === 'hotp') return { id: account.id, code: current.code };
  const next = nextCode(account, nowMs);
  return {
    id: account.id,
    code: current.code,
    validFrom: current.validFrom,
    validUntil: current.validUntil,
    next: { code: next.code, validUntil: next.validUntil },
  };
}
