import type { IntervalPort } from '../../../main/core/auto-lock';
import type { ClipboardPort, Clock, TimerPort } from '../../../main/core/ports';

/**
 * Ports the browser tests control: a clock that only moves when told (so codes are
 * deterministic), timers that fire when that clock passes their due time, and a clipboard
 * that records what main wrote and cleared.
 */

interface PendingTimer {
  id: number;
  due: number;
  callback: () => void;
}

export class ManualClock implements Clock {
  #now: number;
  #timers: PendingTimer[] = [];
  #nextId = 1;

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Moves the clock to `time` (forwards or backwards); timers due by then fire in due order. */
  set(time: number): void {
    this.#now = time;
    this.#fireDue();
  }

  advance(ms: number): void {
    this.set(this.#now + ms);
  }

  pendingTimers(): number {
    return this.#timers.length;
  }

  readonly timers: TimerPort = {
    setTimeout: (callback, ms) => {
      const timer = { id: this.#nextId++, due: this.#now + Math.max(0, ms), callback };
      this.#timers.push(timer);
      return {
        cancel: () => {
          this.#timers = this.#timers.filter((pending) => pending.id !== timer.id);
        },
      };
    },
  };

  /** Repeating timers on the same clock (the auto-lock's idle poll). */
  readonly intervals: IntervalPort = {
    setInterval: (callback, ms) => {
      let current: { cancel(): void } | null = null;
      const schedule = () => {
        current = this.timers.setTimeout(() => {
          schedule();
          callback();
        }, ms);
      };
      schedule();
      return { cancel: () => current?.cancel() };
    },
  };

  #fireDue(): void {
    for (;;) {
      const due = this.#timers
        .filter((timer) => timer.due <= this.#now)
        .sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!due) return;
      this.#timers = this.#timers.filter((timer) => timer.id !== due.id);
      due.callback();
    }
  }
}

export interface ClipboardEvent {
  kind: 'write' | 'clear';
  text: string;
  at: number;
  /** Who did it: main (through the port) or the test standing in for the user. */
  by: 'main' | 'user';
}

export class RecordingClipboard implements ClipboardPort {
  #text = '';
  readonly events: ClipboardEvent[] = [];

  constructor(private readonly clock: Clock) {}

  /** What the clipboard holds now, for the test to look at. */
  get text(): string {
    return this.#text;
  }

  async readText(): Promise<string> {
    return this.#text;
  }

  async writeText(text: string): Promise<void> {
    this.#text = text;
    this.events.push({ kind: 'write', text, at: this.clock.now(), by: 'main' });
  }

  async clear(): Promise<void> {
    this.events.push({ kind: 'clear', text: this.#text, at: this.clock.now(), by: 'main' });
    this.#text = '';
  }

  /** The user copies something else in another app. */
  userCopies(text: string): void {
    this.#text = text;
    this.events.push({ kind: 'write', text, at: this.clock.now(), by: 'user' });
  }
}
