import type { LockReason } from '../../shared/contract';

/** System events that lock the vault at once. */
export type PowerEvent = 'suspend' | 'lock-screen';

export interface IntervalPort {
  setInterval(callback: () => void, ms: number): { cancel(): void };
}

export const systemIntervals: IntervalPort = {
  setInterval(callback, ms) {
    const handle = setInterval(callback, ms);
    handle.unref?.();
    return { cancel: () => clearInterval(handle) };
  },
};

export interface AutoLockPorts {
  /** Seconds since the user last touched keyboard or mouse, anywhere on the system. */
  idleSeconds(): number;
  /** Subscribes to suspend and screen-lock; returns an unsubscribe function. */
  onPowerEvent(listener: (event: PowerEvent) => void): () => void;
  isUnlocked(): boolean;
  /** The settings' `autoLockMinutes` (0 = never); read only while unlocked. */
  autoLockMinutes(): Promise<number>;
  /** Locks the vault and tells the window why. */
  lock(reason: LockReason): Promise<void>;
  intervals?: IntervalPort;
  /** How often idle time is looked at; the lock comes at most this much late. */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

export const AUTO_LOCK_POLL_MS = 15_000;

const REASONS: Record<PowerEvent, LockReason> = {
  suspend: 'suspend',
  'lock-screen': 'screen-lock',
};

/**
 * Locks the vault after the configured idle time and whenever the system suspends or its
 * screen locks. Only an unlocked vault is locked, so the window hears of each lock once.
 */
export function startAutoLock(ports: AutoLockPorts): { check(): Promise<void>; stop(): void } {
  const intervals = ports.intervals ?? systemIntervals;
  let busy: Promise<void> | null = null;

  const lockIfUnlocked = async (reason: LockReason) => {
    if (ports.isUnlocked()) await ports.lock(reason);
  };

  const report = (error: unknown) => ports.onError?.(error);

  async function checkIdle(): Promise<void> {
    if (!ports.isUnlocked()) return;
    const minutes = await ports.autoLockMinutes();
    if (minutes <= 0) return;
    if (ports.idleSeconds() >= minutes * 60) await lockIfUnlocked('idle');
  }

  /**
   * Fails closed: if anything on the way to the decision throws (the settings cannot be read,
   * the idle time cannot be asked), the vault locks rather than staying open indefinitely.
   */
  async function checkOrLock(): Promise<void> {
    try {
      await checkIdle();
    } catch (error) {
      report(error);
      await lockIfUnlocked('error');
    }
  }

  // One check at a time: a slow vault read must not stack checks behind it.
  const check = (): Promise<void> => {
    busy ??= checkOrLock()
      .catch(report)
      .finally(() => {
        busy = null;
      });
    return busy;
  };

  const timer = intervals.setInterval(() => void check(), ports.pollMs ?? AUTO_LOCK_POLL_MS);
  const unsubscribe = ports.onPowerEvent((event) => {
    lockIfUnlocked(REASONS[event]).catch(report);
  });

  return {
    check,
    stop() {
      timer.cancel();
      unsubscribe();
    },
  };
}
