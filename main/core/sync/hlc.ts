/**
 * Hybrid logical clock stamps: "<ms>:<counter>:<deviceId>", wall-clock milliseconds (15 digits),
 * a counter (6 digits) for events in the same millisecond or while the wall clock is behind the
 * newest stamp seen, and the device id to break ties. Zero-padded so stamps sort as strings.
 */

import type { Stamp } from '../../../shared/sync-state';

export type { Stamp };

const MS_DIGITS = 15;
const COUNTER_DIGITS = 6;
const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;
/** A stamp this far ahead of the reader's clock is not trusted to win (docs/sync-format.md). */
export const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

export function formatStamp(ms: number, counter: number, deviceId: string): Stamp {
  return `${String(ms).padStart(MS_DIGITS, '0')}:${String(counter).padStart(COUNTER_DIGITS, '0')}:${deviceId}`;
}

/** The device that made a stamp. */
export function stampDevice(stamp: Stamp): string {
  return stamp.slice(MS_DIGITS + COUNTER_DIGITS + 2);
}

export function stampMs(stamp: Stamp): number {
  return Number(stamp.slice(0, MS_DIGITS));
}

function stampCounter(stamp: Stamp): number {
  return Number(stamp.slice(MS_DIGITS + 1, MS_DIGITS + 1 + COUNTER_DIGITS));
}

export function newer(a: Stamp | null | undefined, b: Stamp | null | undefined): boolean {
  if (a == null) return false;
  if (b == null) return true;
  return a > b;
}

/** This device's clock: every stamp it hands out is newer than any it has seen or made. */
export class HybridClock {
  #last: Stamp;

  constructor(
    private readonly deviceId: string,
    private readonly now: () => number,
    last: Stamp | null = null,
  ) {
    this.#last = last ?? formatStamp(0, 0, deviceId);
  }

  /** A new stamp for a change made here now. */
  tick(): Stamp {
    const wall = this.now();
    const lastMs = stampMs(this.#last);
    const counter = stampCounter(this.#last) + 1;
    this.#last =
      wall > lastMs
        ? formatStamp(wall, 0, this.deviceId)
        : counter > MAX_COUNTER
          ? formatStamp(lastMs + 1, 0, this.deviceId)
          : formatStamp(lastMs, counter, this.deviceId);
    return this.#last;
  }

  /** Moves past a stamp received from another device (unless it is from the far future). */
  receive(stamp: Stamp): void {
    if (stampMs(stamp) > this.now() + FUTURE_TOLERANCE_MS) return;
    if (newer(stamp, this.#last)) {
      this.#last = formatStamp(stampMs(stamp), stampCounter(stamp), this.deviceId);
    }
  }

  get last(): Stamp {
    return this.#last;
  }
}
