import { describe, expect, it, vi } from 'vitest';
import { channels } from '../../../shared/contract';

const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (channel: string, input: unknown) => ({
  ok: true,
  value: { channel, input },
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: { invoke, send: vi.fn(), on: vi.fn() },
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
    const methods = Object.entries(api).flatMap(([namespace, group]) =>
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
