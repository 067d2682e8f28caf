import { useEffect, useState } from 'react';
import type { ChronokeyEvents, Result } from '../../../shared/contract';
import { call, onAppEventPayload } from './api';

type Payload<M extends keyof ChronokeyEvents> = Parameters<Parameters<ChronokeyEvents[M]>[0]>[0];

/**
 * A status main keeps (automatic backups, sync): asked once, then kept fresh by its event.
 * `ask` must be stable (a module-level function).
 */
export function useMainStatus<M extends keyof ChronokeyEvents>(
  ask: () => Promise<Result<Payload<M>>>,
  event: M,
): [Payload<M> | null, (status: Payload<M>) => void] {
  const [status, setStatus] = useState<Payload<M> | null>(null);
  useEffect(() => {
    let live = true;
    call(ask).then(
      (next) => live && setStatus(next),
      () => undefined,
    );
    const off = onAppEventPayload(event, ((next: Payload<M>) => setStatus(next)) as Parameters<
      typeof onAppEventPayload<M>
    >[1]);
    return () => {
      live = false;
      off();
    };
  }, [ask, event]);
  return [status, setStatus];
}
