import { randomUUID } from 'node:crypto';
import { ChronokeyError } from '../../../shared/errors';
import type { Clock, TimerPort } from '../ports';
import { systemTimers } from '../ports';

/** A preview unused this long is forgotten (it holds secrets in memory). */
export const PREVIEW_TTL_MS = 15 * 60 * 1000;
/** More open previews than this and the least recently used is forgotten. */
const MAX_PREVIEWS = 8;

interface Held<T> {
  value: T;
  owner: object;
  touchedAt: number;
}

/**
 * Open import previews, in main's memory only. Each belongs to the unlocked vault it was made
 * for (`owner`): once that vault is locked or replaced, the preview is gone. Previews also
 * expire after PREVIEW_TTL_MS without use, and are dropped on commit and cancel.
 */
export class PreviewStore<T> {
  readonly #held = new Map<string, Held<T>>();
  #sweep: { cancel(): void } | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly timers: TimerPort = systemTimers,
    private readonly ttlMs: number = PREVIEW_TTL_MS,
  ) {}

  open(value: T, owner: object): string {
    this.#forgetStale(owner);
    const id = randomUUID();
    this.#held.set(id, { value, owner, touchedAt: this.clock.now() });
    while (this.#held.size > MAX_PREVIEWS) this.#held.delete(this.#held.keys().next().value!);
    this.#scheduleSweep();
    return id;
  }

  /** The preview, if it is still open for this vault; throws IMPORT_PREVIEW_EXPIRED otherwise. */
  get(id: string, owner: object): T {
    this.#forgetStale(owner);
    const held = this.#held.get(id);
    if (!held) {
      throw new ChronokeyError(
        'IMPORT_PREVIEW_EXPIRED',
        'This import is no longer open (it was finished, cancelled, timed out or the vault was locked). Start the import again.',
      );
    }
    held.touchedAt = this.clock.now();
    // Most recently used last, so the oldest is evicted first.
    this.#held.delete(id);
    this.#held.set(id, held);
    return held.value;
  }

  /** The preview if it is open (any owner), without touching it. */
  peek(id: string): T | undefined {
    return this.#held.get(id)?.value;
  }

  values(): T[] {
    return [...this.#held.values()].map((held) => held.value);
  }

  drop(id: string): void {
    this.#held.delete(id);
  }

  clear(): void {
    this.#held.clear();
    this.#sweep?.cancel();
    this.#sweep = null;
  }

  get size(): number {
    return this.#held.size;
  }

  #forgetStale(owner?: object): void {
    const now = this.clock.now();
    for (const [id, held] of this.#held) {
      if ((owner !== undefined && held.owner !== owner) || now - held.touchedAt >= this.ttlMs) {
        this.#held.delete(id);
      }
    }
  }

  #scheduleSweep(): void {
    if (this.#sweep) return;
    this.#sweep = this.timers.setTimeout(() => {
      this.#sweep = null;
      this.#forgetStale();
      if (this.#held.size > 0) this.#scheduleSweep();
    }, this.ttlMs);
  }
}
