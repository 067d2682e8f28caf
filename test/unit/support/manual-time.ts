import type { TimerPort } from '../../../main/core/ports';

/**
 * A clock and timers the test moves by hand: `advance` moves the clock, runs the timers now
 * due, then lets their asynchronous work settle (`settleRounds` short waits; file work needs
 * more than a promise tick).
 */
export function manualTime(start: number, settleRounds = 1) {
  let now = start;
  const pending: Array<{ at: number; run(): void; cancelled: boolean }> = [];
  const timers: TimerPort = {
    setTimeout(callback, ms) {
      const timer = { at: now + ms, run: callback, cancelled: false };
      pending.push(timer);
      return { cancel: () => void (timer.cancelled = true) };
    },
  };
  return {
    clock: { now: () => now },
    timers,
    async advance(ms: number) {
      now += ms;
      for (const timer of pending.filter((t) => !t.cancelled && t.at <= now)) {
        timer.cancelled = true;
        timer.run();
      }
      for (let i = 0; i < settleRounds; i++) {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
  };
}
