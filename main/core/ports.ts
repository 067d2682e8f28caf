/**
 * The small interfaces ("ports") through which the pure core reaches the outside world.
 * The composition root fills them with Electron adapters; the CLI and tests with their own.
 */

export interface Clock {
  /** Unix milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface ClipboardPort {
  readText(): string;
  writeText(text: string): void;
  clear(): void;
}

export interface TimerPort {
  setTimeout(callback: () => void, ms: number): { cancel(): void };
}

export const systemTimers: TimerPort = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
};
