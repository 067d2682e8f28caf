import type { IntervalPort } from '../../../main/core/auto-lock';
import sharp from 'sharp';
import type { OpenFilesPort, ScreenCapturePort } from '../../../main/core/import/import-handlers';
import type { CapturedDisplay } from '../../../main/core/import/pipeline';
import type { ImportInput } from '../../../main/core/import/types';
import type { ClipboardPort, Clock, TimerPort } from '../../../main/core/ports';

/**
 * Ports the browser tests control: a clock that only moves when told (so codes are
 * deterministic), timers that fire when that clock passes their due time, a clipboard
 * that records what main wrote and cleared, and the open-file dialog and the displays the
 * import reads (the test decides what the user picks and what the screens show).
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

/** A file the test has the "user" pick in the open dialog, as bytes in base64. */
export interface PickedFile {
  name: string;
  base64: string;
}

/**
 * The system's open-file dialog, played by the test: it sets which files the user will pick
 * (or that the user cancels), and sees how often the dialog was shown.
 */
export class TestFileDialog implements OpenFilesPort {
  #next: PickedFile[] | null = null;
  shown = 0;

  /** The files the next dialog returns; null: the user cancels it. */
  willPick(files: PickedFile[] | null): void {
    this.#next = files;
  }

  async openFiles(): Promise<ImportInput[] | null> {
    this.shown += 1;
    const picked = this.#next;
    this.#next = null;
    if (picked === null) return null;
    return picked.map((file) => ({
      name: file.name,
      bytes: new Uint8Array(Buffer.from(file.base64, 'base64')),
    }));
  }
}

/**
 * The displays, played by the test: it sets which pictures (PNG/JPEG/WebP, in base64) the
 * screens show; a capture decodes them to RGBA as Electron's desktopCapturer hands over pixels.
 */
export class TestScreen implements ScreenCapturePort {
  #images: Array<{ name: string; base64: string }> = [];
  captures = 0;

  show(images: Array<{ name: string; base64: string }>): void {
    this.#images = images;
  }

  async captureDisplays(): Promise<CapturedDisplay[]> {
    this.captures += 1;
    return Promise.all(
      this.#images.map(async (image) => {
        const { data, info } = await sharp(Buffer.from(image.base64, 'base64'))
          .ensureAlpha()
          .raw()
          .toBuffer({ resolveWithObject: true });
        return {
          name: image.name,
          width: info.width,
          height: info.height,
          rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        };
      }),
    );
  }
}
