import type { ChronokeyApi, ChronokeyEvents, Result } from '../../../shared/contract';

declare global {
  interface Window {
    /** Set by the preload (or the browser test bridge): one named method per channel. */
    chronokey: ChronokeyApi;
  }
}

/** A failed call: the core's stable code and the sentence to show to people. */
export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function api(): ChronokeyApi {
  if (typeof window.chronokey !== 'object' || window.chronokey === null) {
    throw new CallError(
      'NO_BRIDGE',
      'This window could not reach Chronokey. Close it and open Chronokey again.',
    );
  }
  return window.chronokey;
}

/** Awaits a call and returns its value, or throws a CallError carrying the core's message. */
export async function call<T>(request: () => Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await request();
  } catch (error) {
    if (error instanceof CallError) throw error;
    throw new CallError(
      'NO_BRIDGE',
      'Chronokey did not answer. Try again, or restart Chronokey if this keeps happening.',
    );
  }
  if (result.ok) return result.value;
  throw new CallError(result.error.code, result.error.message);
}

export function errorMessage(error: unknown): string {
  if (error instanceof CallError) return error.message;
  return 'Something went wrong. Nothing was changed.';
}

export function errorCode(error: unknown): string {
  return error instanceof CallError ? error.code : 'INTERNAL';
}

/**
 * Subscribes to an event main sends (vault locked, menu commands). Defensive: a bridge
 * without `events` (or without this one) simply never calls back.
 */
export function onAppEvent(name: keyof ChronokeyEvents, listener: () => void): () => void {
  const bridge = (window as { chronokey?: unknown }).chronokey as
    { events?: Record<string, unknown> } | undefined;
  const subscribe = bridge?.events?.[name];
  if (typeof subscribe !== 'function') return () => undefined;
  const unsubscribe: unknown = (subscribe as (cb: () => void) => unknown)(() => listener());
  return typeof unsubscribe === 'function' ? (unsubscribe as () => void) : () => undefined;
}

/** Like `onAppEvent`, for events whose payload the listener needs (import progress). */
export function onAppEventPayload<M extends keyof ChronokeyEvents>(
  name: M,
  listener: Parameters<ChronokeyEvents[M]>[0],
): () => void {
  const bridge = (window as { chronokey?: unknown }).chronokey as
    { events?: Record<string, unknown> } | undefined;
  const subscribe = bridge?.events?.[name];
  if (typeof subscribe !== 'function') return () => undefined;
  const unsubscribe: unknown = (subscribe as (cb: typeof listener) => unknown)(listener);
  return typeof unsubscribe === 'function' ? (unsubscribe as () => void) : () => undefined;
}
