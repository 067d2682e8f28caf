import type { Clock, TimerPort } from './ports';

/**
 * One timer for a background service's next run (a sync or follow pass): asking for a run in
 * `ms` keeps whichever is due sooner, the one already set or the new one.
 */
export function createSoonestTimer(clock: Clock, timers: TimerPort, run: () => void) {
  let timer: { cancel(): void } | null = null;
  let due = Infinity;
  return {
    in(ms: number): void {
      const at = clock.now() + ms;
      if (timer && due <= at) return;
      timer?.cancel();
      due = at;
      timer = timers.setTimeout(() => {
        timer = null;
        due = Infinity;
        run();
      }, ms);
    },
    cancel(): void {
      timer?.cancel();
      timer = null;
      due = Infinity;
    },
  };
}
