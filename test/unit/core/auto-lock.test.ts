import { describe, expect, it } from 'vitest';
import type { LockReason } from '../../../shared/contract';
import type { IntervalPort, PowerEvent } from '../../../main/core/auto-lock';
import { AUTO_LOCK_POLL_MS, startAutoLock } from '../../../main/core/auto-lock';

/** A fake clock driving both the poll interval and the system's idle time. */
function fakeWorld(options: { minutes: number | (() => Promise<number>) }) {
  let now = 0;
  let lastInput = 0;
  let unlocked = true;
  let idleBroken = false;
  const locks: LockReason[] = [];
  const errors: unknown[] = [];
  const intervals: { callback: () => void; ms: number; next: number; live: boolean }[] = [];
  const powerListeners = new Set<(event: PowerEvent) => void>();

  const intervalPort: IntervalPort = {
    setInterval(callback, ms) {
      const entry = { callback, ms, next: now + ms, live: true };
      intervals.push(entry);
      return { cancel: () => void (entry.live = false) };
    },
  };

  const autoLock = startAutoLock({
    idleSeconds: () => {
      if (idleBroken) throw new Error('powerMonitor is gone');
      return Math.floor((now - lastInput) / 1000);
    },
    onPowerEvent(listener) {
      powerListeners.add(listener);
      return () => powerListeners.delete(listener);
    },
    isUnlocked: () => unlocked,
    autoLockMinutes:
      typeof options.minutes === 'number' ? async () => options.minutes as number : options.minutes,
    lock: async (reason) => {
      locks.push(reason);
      unlocked = false;
    },
    intervals: intervalPort,
    onError: (error) => errors.push(error),
  });

  return {
    autoLock,
    locks,
    errors,
    powerListeners,
    intervals,
    /** Moves the clock on, firing due intervals and letting their async work finish. */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = intervals
          .filter((entry) => entry.live && entry.next <= end)
          .sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        now = due.next;
        due.next += due.ms;
        due.callback();
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }
      now = end;
    },
    input() {
      lastInput = now;
    },
    breakIdle() {
      idleBroken = true;
    },
    unlock() {
      unlocked = true;
      lastInput = now;
    },
    power(event: PowerEvent) {
      for (const listener of powerListeners) listener(event);
    },
  };
}

const MINUTE = 60_000;

describe('auto-lock', () => {
  it('polls every 15 seconds', () => {
    const world = fakeWorld({ minutes: 5 });
    expect(world.intervals.map((entry) => entry.ms)).toEqual([AUTO_LOCK_POLL_MS]);
  });

  it('locks once the system has been idle for the configured minutes, not before', async () => {
    const world = fakeWorld({ minutes: 5 });
    await world.advance(4 * MINUTE + 45_000);
    expect(world.locks).toEqual([]);
    await world.advance(15_000);
    expect(world.locks).toEqual(['idle']);
    await world.advance(10 * MINUTE);
    expect(world.locks).toEqual(['idle']);
  });

  it('starts counting again after any input', async () => {
    const world = fakeWorld({ minutes: 2 });
    await world.advance(1.5 * MINUTE);
    world.input();
    await world.advance(1.5 * MINUTE);
    expect(world.locks).toEqual([]);
    await world.advance(MINUTE);
    expect(world.locks).toEqual(['idle']);
  });

  it('never locks on idle when the setting is 0', async () => {
    const world = fakeWorld({ minutes: 0 });
    await world.advance(24 * 60 * MINUTE);
    expect(world.locks).toEqual([]);
  });

  it('follows a changed setting at the next check', async () => {
    let minutes = 30;
    const world = fakeWorld({ minutes: async () => minutes });
    await world.advance(10 * MINUTE);
    expect(world.locks).toEqual([]);
    minutes = 5;
    await world.advance(15_000);
    expect(world.locks).toEqual(['idle']);
  });

  it('locks again after an unlock and a new idle period', async () => {
    const world = fakeWorld({ minutes: 1 });
    await world.advance(MINUTE);
    world.unlock();
    await world.advance(45_000);
    expect(world.locks).toEqual(['idle']);
    await world.advance(15_000);
    expect(world.locks).toEqual(['idle', 'idle']);
  });

  it('locks at once on suspend and on screen lock, each with its reason', async () => {
    const world = fakeWorld({ minutes: 0 });
    world.power('suspend');
    await Promise.resolve();
    expect(world.locks).toEqual(['suspend']);
    world.unlock();
    world.power('lock-screen');
    await Promise.resolve();
    expect(world.locks).toEqual(['suspend', 'screen-lock']);
  });

  it('does nothing for a vault that is already locked', async () => {
    const world = fakeWorld({ minutes: 1 });
    await world.advance(MINUTE);
    world.power('suspend');
    world.power('lock-screen');
    await world.advance(10 * MINUTE);
    expect(world.locks).toEqual(['idle']);
  });

  it('fails closed: a settings read that throws locks the vault (and reports why)', async () => {
    const world = fakeWorld({
      minutes: async () => {
        throw new Error('EIO: the vault file cannot be read');
      },
    });
    await world.advance(15_000);
    expect(world.errors.length).toBeGreaterThan(0);
    expect(world.locks).toEqual(['error']);
  });

  it('fails closed when the idle time cannot be asked either', async () => {
    const world = fakeWorld({ minutes: 5 });
    world.breakIdle();
    await world.advance(15_000);
    expect(world.locks).toEqual(['error']);
  });

  it('stops polling and listening when stopped', async () => {
    const world = fakeWorld({ minutes: 1 });
    world.autoLock.stop();
    expect(world.powerListeners.size).toBe(0);
    await world.advance(10 * MINUTE);
    world.power('suspend');
    expect(world.locks).toEqual([]);
  });

  it('runs one check at a time', async () => {
    let reads = 0;
    let release: () => void = () => {};
    const world = fakeWorld({
      minutes: () => {
        reads += 1;
        return new Promise<number>((resolve) => (release = () => resolve(1)));
      },
    });
    const first = world.autoLock.check();
    const second = world.autoLock.check();
    expect(reads).toBe(1);
    release();
    await Promise.all([first, second]);
  });
});
