import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createClipboardAdapter } from '../../../main/shell/clipboard';
import { DEV_SERVER_ENV, applyDevCsp, devServerUrl } from '../../../main/shell/dev';
import { sendEvent } from '../../../main/shell/events';
import { createPowerPorts } from '../../../main/shell/power';
import { claimSingleInstance, focusWindow } from '../../../main/shell/single-instance';

vi.mock('electron', () => ({}));

/** Electron 45's clipboard: asynchronous reads and writes, synchronous clear. */
function fakeSystemClipboard() {
  let text = '';
  return {
    get text() {
      return text;
    },
    set text(value: string) {
      text = value;
    },
    readText: vi.fn(async () => text),
    writeText: vi.fn(async (value: string) => {
      text = value;
    }),
    clear: vi.fn(() => {
      text = '';
    }),
  };
}

describe('clipboard adapter', () => {
  it('writes to and reads from the system clipboard', async () => {
    const system = fakeSystemClipboard();
    const port = createClipboardAdapter(system);
    await port.writeText('123456');
    expect(system.text).toBe('123456');
    expect(await port.readText()).toBe('123456');
    await port.clear();
    expect(system.text).toBe('');
  });

  it('clears on quit only if our code is still there', async () => {
    const system = fakeSystemClipboard();
    const port = createClipboardAdapter(system);
    await port.clearIfOurs();
    expect(system.clear).not.toHaveBeenCalled();
    await port.writeText('654321');
    await port.clearIfOurs();
    expect(system.text).toBe('');

    await port.writeText('111111');
    system.text = 'something else';
    await port.clearIfOurs();
    expect(system.text).toBe('something else');
  });

  it('does not claim a code whose write failed', async () => {
    const system = fakeSystemClipboard();
    system.writeText.mockRejectedValueOnce(new Error('clipboard busy'));
    const port = createClipboardAdapter(system);
    await expect(port.writeText('123456')).rejects.toThrow('clipboard busy');
    system.text = '123456';
    await port.clearIfOurs();
    expect(system.clear).not.toHaveBeenCalled();
  });
});

describe('power ports', () => {
  it('reads system idle time and turns suspend and lock-screen into events, until unsubscribed', () => {
    const monitor = Object.assign(new EventEmitter(), { getSystemIdleTime: () => 42 });
    const ports = createPowerPorts(monitor as never);
    expect(ports.idleSeconds()).toBe(42);
    const seen: string[] = [];
    const off = ports.onPowerEvent((event) => seen.push(event));
    monitor.emit('suspend');
    monitor.emit('lock-screen');
    monitor.emit('resume');
    expect(seen).toEqual(['suspend', 'lock-screen']);
    off();
    monitor.emit('suspend');
    expect(seen).toHaveLength(2);
    expect(monitor.listenerCount('suspend')).toBe(0);
  });
});

describe('sendEvent', () => {
  it('sends a valid payload on the event channel', () => {
    const contents = { send: vi.fn(), isDestroyed: () => false };
    expect(sendEvent(contents, 'vault.locked', { reason: 'idle' })).toBe(true);
    expect(contents.send).toHaveBeenCalledWith('event:vault.locked', { reason: 'idle' });
  });

  it('refuses a payload the contract does not allow, and skips a closed window', () => {
    const contents = { send: vi.fn(), isDestroyed: () => false };
    expect(() => sendEvent(contents, 'vault.locked', { reason: 'bored' } as never)).toThrow();
    expect(sendEvent({ send: vi.fn(), isDestroyed: () => true }, 'ui.addAccount', {})).toBe(false);
    expect(sendEvent(null, 'ui.addAccount', {})).toBe(false);
    expect(contents.send).not.toHaveBeenCalled();
  });
});

describe('single instance', () => {
  it('quits a second instance at once', () => {
    const app = { requestSingleInstanceLock: () => false, quit: vi.fn(), on: vi.fn() };
    expect(claimSingleInstance(app as never, vi.fn())).toBe(false);
    expect(app.quit).toHaveBeenCalled();
    expect(app.on).not.toHaveBeenCalled();
  });

  it('brings the first instance forward when a second one starts', () => {
    const listeners = new Map<string, () => void>();
    const app = {
      requestSingleInstanceLock: () => true,
      quit: vi.fn(),
      on: (name: string, listener: () => void) => listeners.set(name, listener),
    };
    const bringForward = vi.fn();
    expect(claimSingleInstance(app as never, bringForward)).toBe(true);
    listeners.get('second-instance')!();
    expect(bringForward).toHaveBeenCalled();
    expect(app.quit).not.toHaveBeenCalled();
  });

  it('restores a minimised or hidden window and focuses it', () => {
    const window = {
      isDestroyed: () => false,
      isMinimized: () => true,
      restore: vi.fn(),
      isVisible: () => false,
      show: vi.fn(),
      focus: vi.fn(),
    };
    focusWindow(window);
    expect(window.restore).toHaveBeenCalled();
    expect(window.show).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
    expect(() => focusWindow(null)).not.toThrow();
    expect(() => focusWindow({ ...window, isDestroyed: () => true })).not.toThrow();
  });
});

describe('dev server', () => {
  it.each([
    [false, 'http://localhost:5173/', 'http://localhost:5173/'],
    [false, 'http://127.0.0.1:5173', 'http://127.0.0.1:5173/'],
    [true, 'http://localhost:5173/', undefined],
    [false, undefined, undefined],
    [false, 'https://evil.example/', undefined],
    [false, 'http://192.168.1.5:5173/', undefined],
    [false, 'file:///tmp/index.html', undefined],
    [false, 'nonsense', undefined],
  ])('packaged=%s %s → %s', (isPackaged, value, expected) => {
    expect(devServerUrl(isPackaged, { [DEV_SERVER_ENV]: value })).toBe(expected);
  });

  it('adds the relaxed dev CSP to dev server responses only', () => {
    const onHeadersReceived = vi.fn();
    applyDevCsp({ webRequest: { onHeadersReceived } } as never, 'http://localhost:5173/');
    const [filter, listener] = onHeadersReceived.mock.calls[0]!;
    expect(filter).toEqual({ urls: ['http://localhost:5173/*'] });
    const callback = vi.fn();
    listener({ responseHeaders: { 'Content-Type': ['text/html'] } }, callback);
    const headers = callback.mock.calls[0]![0].responseHeaders;
    expect(headers['Content-Type']).toEqual(['text/html']);
    expect(headers['Content-Security-Policy'][0]).toContain("default-src 'none'");
    expect(headers['Content-Security-Policy'][0]).toContain('ws://localhost:5173');
  });
});
