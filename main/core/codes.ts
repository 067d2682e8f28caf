import type { Account, CodeView } from '../../shared/domain';
import type { CodeCache } from './otp/generate';

/**
 * The code an account shows now: time-based ones with their validity and the next code,
 * HOTP for its stored counter. The cache keeps decoded secrets between refreshes.
 */
export function codeView(account: Account, nowMs: number, cache: CodeCache): CodeView {
  const current = cache.current(account.id, account, nowMs);
  if (account.type === 'hotp') return { id: account.id, code: current.code };
  const next = cache.next(account.id, account, nowMs);
  return {
    id: account.id,
    code: current.code,
    ...(current.validFrom !== undefined && { validFrom: current.validFrom }),
    ...(current.validUntil !== undefined && { validUntil: current.validUntil }),
    ...(next.validUntil !== undefined && {
      next: { code: next.code, validUntil: next.validUntil },
    }),
  };
}
