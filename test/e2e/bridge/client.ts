/**
 * Runs in the page (injected before the app loads): gives it a `window.chronokey` with exactly
 * the shape the preload exposes, built by the same `buildApi`, but sending each call to the
 * test bridge over loopback HTTP instead of Electron IPC. Bundled by client-bundle.ts.
 */
// First, before any schema exists: the page runs under the app's CSP (no 'unsafe-eval').
import '../../../main/preload/zod-jitless';
import { buildApi } from '../../../shared/contract';
import type { Channel, EventName, Result } from '../../../shared/contract';

declare const __BRIDGE_TOKEN__: string;
declare const __TOKEN_HEADER__: string;

async function send(channel: Channel, input: unknown): Promise<Result<unknown>> {
  const response = await fetch('/rpc', {
    method: 'POST',
    headers: { 'content-type': 'application/json', [__TOKEN_HEADER__]: __BRIDGE_TOKEN__ },
    body: JSON.stringify({ channel, input }),
  });
  if (!response.ok) {
    return {
      ok: false,
      error: { code: 'BRIDGE', message: `The test bridge answered ${response.status}.` },
    };
  }
  return (await response.json()) as Result<unknown>;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

// One server-sent-event stream carries main's events; buildApi parses each payload with the
// contract's schema before a listener sees it, exactly as the preload does.
const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
let stream: EventSource | null = null;

function subscribe(name: EventName, listener: (payload: unknown) => void): () => void {
  stream ??= openStream();
  let set = listeners.get(name);
  if (!set) listeners.set(name, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
  };
}

function openStream(): EventSource {
  const source = new EventSource(`/events?token=${encodeURIComponent(__BRIDGE_TOKEN__)}`);
  source.addEventListener('message', (message: MessageEvent) => {
    const { event, payload } = JSON.parse(String(message.data)) as {
      event: EventName;
      payload: unknown;
    };
    for (const listener of listeners.get(event) ?? []) listener(payload);
  });
  return source;
}

const api = buildApi(send, subscribe);
Object.defineProperty(globalThis, 'chronokey', {
  value: deepFreeze(api),
  writable: false,
  configurable: false,
  enumerable: true,
});
