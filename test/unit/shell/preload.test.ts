import { describe, expect, it, vi } from 'vitest';
import { channels, eventChannel, eventSubscriptions } from '../../../shared/contract';

const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (channel: string, input: unknown) => ({
  ok: true,
  value: { channel, input },
}));

type RendererListener = (event: unknown, payload: unknown) => void;
const listeners = new Map<string, Set<RendererListener>>();
const ipcEvent = { sender: { send: vi.fn() }, senderId: 0, ports: [] };
function emit(channel: string, payload: unknown) {
  for (const listener of listeners.get(channel) ?? []) listener(ipcEvent, payload);
}

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke,
    send: vi.fn(),
    on: vi.fn((channel: string, listener: RendererListener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    }),
    removeListener: vi.fn((channel: string, listener: RendererListener) => {
      listeners.get(channel)?.delete(listener);
    }),
  },
}));

await import('../../../main/preload/index');

describe('preload', () => {
  const api = exposed.get('chronokey') as Record<
    string,
    Record<string, (input?: unknown) => Promise<unknown>>
  >;

  it('exposes only window.chronokey', () => {
    expect([...exposed.keys()]).toEqual(['chronokey']);
  });

  it('has one named method per contract channel and no generic invoke, send or on', () => {
    const methods = Object.entries(api)
      .filter(([namespace]) => namespace !== 'events')
      .flatMap(([namespace, group]) =>
        Object.keys(group).map((method) => `${namespace}.${method}`),
      );
    expect(methods.sort()).toEqual([...channels].sort());
    for (const forbidden of ['invoke', 'send', 'on', 'ipcRenderer', 'sendSync']) {
      expect(api).not.toHaveProperty(forbidden);
      for (const group of Object.values(api)) expect(group).not.toHaveProperty(forbidden);
    }
  });

  it('sends each method to its own channel with the given input', async () => {
    await expect(api.accounts!.add!({ uri: 'otpauth://x' })).resolves.toEqual({
      ok: true,
      value: { channel: 'accounts.add', input: { uri: 'otpauth://x' } },
    });
    await api.codes!.current!();
    expect(invoke).toHaveBeenLastCalledWith('codes.current', undefined);
  });
});

describe('preload events', () => {
  const events = (exposed.get('chronokey') as Record<string, Record<string, unknown>>)
    .events as Record<string, (listener: (payload: unknown) => void) => () => void>;

  it('has exactly one named subscription per contract event', () => {
    expect(Object.keys(events).sort()).toEqual(Object.keys(eventSubscriptions).sort());
  });

  it('delivers only the validated payload, never the IPC event, until unsubscribed', () => {
    const received: unknown[] = [];
    const unsubscribe = events.onVaultLocked!((payload) => received.push(payload));
    emit(eventChannel('vault.locked'), { reason: 'idle' });
    expect(received).toEqual([{ reason: 'idle' }]);
    expect(JSON.stringify(received)).not.toContain('sender');

    unsubscribe();
    emit(eventChannel('vault.locked'), { reason: 'suspend' });
    expect(received).toHaveLength(1);
    expect(listeners.get(eventChannel('vault.locked'))?.size ?? 0).toBe(0);
  });

  it('drops a payload that does not match the event schema', () => {
    const received: unknown[] = [];
    const unsubscribe = events.onVaultLocked!((payload) => received.push(payload));
    emit(eventChannel('vault.locked'), { reason: 'because' });
    emit(eventChannel('vault.locked'), 'locked');
    expect(received).toEqual([]);
    unsubscribe();
  });

  it('listens on each event own channel only', () => {
    const searches: unknown[] = [];
    const adds: unknown[] = [];
    const offSearch = events.onFocusSearch!((payload) => searches.push(payload));
    const offAdd = events.onAddAccount!((payload) => adds.push(payload));
    emit(eventChannel('ui.focusSearch'), {});
    expect(searches).toEqual([{}]);
    expect(adds).toEqual([]);
    offSearch();
    offAdd();
  });

  it('refuses a listener that is not a function', () => {
    expect(() => events.onOpenSettings!('nope' as unknown as () => void)).toThrow(TypeError);
  });
});
