/**
 * The small interfaces ("ports") through which the pure core reaches the outside world.
 * The composition root fills them with Electron adapters; the CLI and tests with their own.
 */

export interface Clock {
  /** Unix milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The system clipboard. Asynchronous, as Electron's and the browser's clipboards are. */
export interface ClipboardPort {
  readText(): Promise<string>;
  writeText(text: string): Promise<void>;
  clear(): Promise<void>;
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

/**
 * A question main asks the person in a dialog of its own (Electron's message box), for actions
 * that show secrets: a compromised window can ask for them but cannot answer for the person.
 */
export interface ConfirmPort {
  confirm(question: {
    title: string;
    message: string;
    detail: string;
    /** The label of the button that goes ahead ("Show QR codes"); the other one cancels. */
    confirmLabel: string;
  }): Promise<boolean>;
}
