import type { Account, CodeView } from '../../shared/domain';
import type { CodeCache } from './otp/generate';

/**
 * How long before a code expires its successor is sent along. The window shows the next code
 * in a code's last seconds; computing it earlier would double the work of every refresh.
 */
export const NEXT_CODE_LEAD_MS = 10_000;

/**
 * The code an account shows now: time-based ones with their validity (and the next code when
 * the current one is about to expire), HOTP for its stored counter. The cache keeps decoded
 * secrets and recent codes between refreshes.
 */
export function codeView(account: Account, nowMs: number, cache: CodeCache): CodeView {
  const current = cache.current(account.id, account, nowMs);
  if (account.type === 'hotp')
    return { id: account.id, code: current.code, counter: account.counter };
  if (current.validUntil === undefined) return { id: account.id, code: current.code };
  const view: CodeView = {
    id: account.id,
    code: current.code,
    ...(current.validFrom !== undefined && { validFrom: current.validFrom }),
    validUntil: current.validUntil,
  };
  if (current.validUntil - nowMs > NEXT_CODE_LEAD_MS) return view;
  const next = cache.next(account.id, account, nowMs);
  return next.validUntil === undefined
    ? view
    : { ...view, next: { code: next.code, validUntil: next.validUntil } };
}
