import type { CodeView } from '../../../shared/domain';

type Listener = () => void;

/**
 * Holds the codes main computed and tells each row only when its own code changed, so the
 * once-a-second refresh re-renders nothing but the rows whose code or validity moved on.
 * Also keeps the shared "now" (in whole seconds) that countdown rings follow.
 */
export class CodeStore {
  #codes = new Map<string, CodeView>();
  #listeners = new Map<string, Set<Listener>>();
  #tickListeners = new Set<Listener>();
  #second = 0;
  /** Added to Date.now() when main's clock is not the page's (a test bridge's fixed clock). */
  #offsetMs = 0;

  get(id: string): CodeView | undefined {
    return this.#codes.get(id);
  }

  /** Replaces all codes; returns how many rows were told about a change. */
  replace(codes: readonly CodeView[]): number {
    let changed = 0;
    const seen = new Set<string>();
    for (const code of codes) {
      seen.add(code.id);
      if (!sameCode(this.#codes.get(code.id), code)) {
        this.#codes.set(code.id, code);
        changed += this.#notify(code.id);
      }
    }
    for (const id of this.#codes.keys()) {
      if (!seen.has(id)) {
        this.#codes.delete(id);
        changed += this.#notify(id);
      }
    }
    this.#alignClock(codes);
    return changed;
  }

  /** One code changed outside the refresh (HOTP "next code"). */
  set(code: CodeView): void {
    this.#codes.set(code.id, code);
    this.#notify(code.id);
  }

  subscribe(id: string, listener: Listener): () => void {
    let set = this.#listeners.get(id);
    if (!set) this.#listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(id);
    };
  }

  /** Now as main sees it, in milliseconds. */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** The current whole second; changes once per tick. */
  second(): number {
    return this.#second;
  }

  tick(): void {
    const second = Math.floor(this.now() / 1000);
    if (second === this.#second) return;
    this.#second = second;
    for (const listener of this.#tickListeners) listener();
  }

  subscribeTick(listener: Listener): () => void {
    this.#tickListeners.add(listener);
    return () => this.#tickListeners.delete(listener);
  }

  #notify(id: string): number {
    const set = this.#listeners.get(id);
    if (!set) return 0;
    for (const listener of set) listener();
    return 1;
  }

  /**
   * Codes are computed with main's clock. If the page's clock falls outside the window main
   * just reported (a test bridge with a controlled clock), count from the window's start.
   */
  #alignClock(codes: readonly CodeView[]): void {
    const timed = codes.find(
      (code) => code.validFrom !== undefined && code.validUntil !== undefined,
    );
    if (!timed || timed.validFrom === undefined || timed.validUntil === undefined) return;
    const now = this.now();
    if (now >= timed.validFrom && now < timed.validUntil) return;
    this.#offsetMs = timed.validFrom - Date.now();
  }
}

function sameCode(a: CodeView | undefined, b: CodeView): boolean {
  return (
    a !== undefined &&
    a.code === b.code &&
    a.validUntil === b.validUntil &&
    a.next?.code === b.next?.code
  );
}
