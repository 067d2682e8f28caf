import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { ipcMain } from 'electron';
import { channels } from '../../../shared/contract';
import type { Handlers } from '../../../shared/contract';
import type { Account } from '../../../shared/domain';
import { ChronokeyError } from '../../../shared/errors';
import { APP_ORIGIN, registerIpcHandlers } from '../../../main/shell/ipc';

type Listener = (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>;
const registered = new Map<string, Listener>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: vi.fn((channel: string, listener: Listener) => registered.set(channel, listener)),
    removeHandler: vi.fn((channel: string) => registered.delete(channel)),
  },
}));

const OUR_WINDOW = 7;

function event(
  options: { url?: string; subframe?: boolean; senderId?: number; noFrame?: boolean } = {},
) {
  const top = { url: options.url ?? `${APP_ORIGIN}/index.html`, parent: null };
  const frame = options.subframe ? { url: top.url, parent: top } : top;
  return {
    sender: { id: options.senderId ?? OUR_WINDOW },
    senderFrame: options.noFrame ? null : frame,
  } as unknown as IpcMainInvokeEvent;
}

const account: Account = {
  id: 'a1',
  type: 'totp',
  issuer: 'Example',
  account: 'alice',
  secret: 'JBSWY3DPEHPK3PXP',
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  counter: 0,
  tags: [],
  favourite: false,
  createdAt: 1,
  lastUsedAt: null,
  warnings: [],
};

function fakeHandlers(overrides: Partial<Handlers> = {}): Handlers {
  const handlers: Record<string, unknown> = {};
  for (const channel of channels) {
    handlers[channel] = vi.fn(async () => {
      throw new Error(`unexpected call to ${channel}`);
    });
  }
  return { ...(handlers as Handlers), ...overrides };
}

function call(channel: string, input: unknown, from = event()) {
  const listener = registered.get(channel);
  if (!listener) throw new Error(`${channel} not registered`);
  return listener(from, input);
}

describe('registerIpcHandlers', () => {
  let handlers: Handlers;
  beforeEach(() => {
    registered.clear();
    vi.mocked(ipcMain.handle).mockClear();
    handlers = fakeHandlers({
      'accounts.add': vi.fn(async () => ({ ...account })),
      'accounts.list': vi.fn(async () => [{ ...account }]),
    });
    registerIpcHandlers({ ipcMain, handlers, isOurWindow: (id) => id === OUR_WINDOW });
  });

  it('registers every channel of the contract with ipcMain.handle, and nothing else', () => {
    expect([...registered.keys()].sort()).toEqual([...channels].sort());
    expect(ipcMain.handle).toHaveBeenCalledTimes(channels.length);
  });

  it('serves our own window main frame and wraps the value as {ok, value}', async () => {
    const result = await call('accounts.add', { uri: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP' });
    expect(result).toMatchObject({ ok: true, value: { id: 'a1', issuer: 'Example' } });
    expect(handlers['accounts.add']).toHaveBeenCalledWith({
      uri: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP',
    });
  });

  it('never lets a secret cross IPC even if a handler returned one', async () => {
    const result = (await call('accounts.list', undefined)) as { ok: true; value: object[] };
    expect(result.ok).toBe(true);
    expect(result.value[0]).not.toHaveProperty('secret');
    expect(JSON.stringify(result)).not.toContain(account.secret);
  });

  it.each([
    ['another origin', event({ url: 'https://evil.example/' })],
    ['a file:// page', event({ url: 'file:///tmp/index.html' })],
    ['a look-alike origin', event({ url: 'app://chronokey.evil/' })],
    ['a subframe of our page', event({ subframe: true })],
    ['a window that is not ours', event({ senderId: 99 })],
    ['a frame that is gone', event({ noFrame: true })],
    ['a page with an unparsable URL', event({ url: 'not a url' })],
  ])('rejects %s without calling the handler', async (_name, from) => {
    const result = await call('accounts.add', { uri: 'otpauth://totp/x?secret=AAAA' }, from);
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'IPC_FORBIDDEN' }),
    });
    expect(handlers['accounts.add']).not.toHaveBeenCalled();
  });

  it.each([
    ['a number instead of an object', 42],
    ['a missing field', {}],
    ['a field of the wrong type', { uri: 12 }],
    ['an over-long link', { uri: `otpauth://totp/x?secret=${'A'.repeat(9000)}` }],
  ])('rejects %s with IPC_INVALID_INPUT before the handler runs', async (_name, input) => {
    const result = await call('accounts.add', input);
    expect(result).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT' } });
    expect(handlers['accounts.add']).not.toHaveBeenCalled();
  });

  it('passes a user error through with its stable code and sentence', async () => {
    handlers['accounts.remove'] = vi.fn(async () => {
      throw new ChronokeyError('ACCOUNT_NOT_FOUND', 'That account is not in the vault any more.');
    });
    registered.clear();
    registerIpcHandlers({ ipcMain, handlers, isOurWindow: (id) => id === OUR_WINDOW });
    expect(await call('accounts.remove', { id: 'nope' })).toEqual({
      ok: false,
      error: { code: 'ACCOUNT_NOT_FOUND', message: 'That account is not in the vault any more.' },
    });
  });

  it('hides the details of an unexpected failure and reports it to main', async () => {
    const onInternalError = vi.fn();
    handlers['vault.lock'] = vi.fn(async () => {
      throw new Error('ENOENT /home/alice/secret/path');
    });
    registered.clear();
    registerIpcHandlers({ ipcMain, handlers, isOurWindow: () => true, onInternalError });
    const result = await call('vault.lock', undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('/home/alice');
    expect(onInternalError).toHaveBeenCalledWith('vault.lock', expect.any(Error));
  });

  it('admits the dev server origin only when one is given (development)', async () => {
    const dev = event({ url: 'http://localhost:5173/' });
    expect(await call('accounts.list', undefined, dev)).toMatchObject({
      ok: false,
      error: { code: 'IPC_FORBIDDEN' },
    });
    registered.clear();
    registerIpcHandlers({
      ipcMain,
      handlers,
      isOurWindow: (id) => id === OUR_WINDOW,
      devOrigin: 'http://localhost:5173',
    });
    expect(await call('accounts.list', undefined, dev)).toMatchObject({ ok: true });
    const otherPort = event({ url: 'http://localhost:5174/' });
    expect(await call('accounts.list', undefined, otherPort)).toMatchObject({ ok: false });
    expect(await call('accounts.list', undefined)).toMatchObject({ ok: true });
  });

  it('removes every handler it registered', () => {
    const unregister = registerIpcHandlers({ ipcMain, handlers, isOurWindow: () => true });
    unregister();
    expect(registered.size).toBe(0);
  });
});
