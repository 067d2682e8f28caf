import { useCallback, useEffect, useRef } from 'react';
import { api, call, errorCode } from '../../lib/api';
import type { CodeStore } from '../../lib/code-store';

/**
 * Codes: asks main once per second, just after each second begins, and hands changes to rows.
 * Returns a function that asks again at once (after an add or an import).
 */
export function useCodeRefresh(store: CodeStore, onLocked: () => void): () => void {
  const refresh = useRef<() => void>(() => undefined);
  useEffect(() => {
    let stopped = false;
    let timer = 0;
    let inFlight = false;
    const poll = async () => {
      window.clearTimeout(timer);
      if (inFlight) return;
      inFlight = true;
      try {
        const codes = await call(() => api().codes.current());
        if (stopped) return;
        store.replace(codes);
        store.tick();
      } catch (caught) {
        if (!stopped && errorCode(caught) === 'VAULT_LOCKED') {
          stopped = true;
          onLocked();
          return;
        }
      } finally {
        inFlight = false;
      }
      if (!stopped) timer = window.setTimeout(poll, 1000 - (store.now() % 1000) + 10);
    };
    refresh.current = () => void poll();
    timer = window.setTimeout(poll, 1000 - (store.now() % 1000) + 10);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [store, onLocked]);
  return useCallback(() => refresh.current(), []);
}
