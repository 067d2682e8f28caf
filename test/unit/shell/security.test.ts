import { describe, expect, it, vi } from 'vitest';
import { EXTERNAL_LINKS } from '../../../shared/external-links';
import {
  applySecurityRules,
  denyAllPermissions,
  hardenWebContents,
  isAppUrl,
  isSafeExternalUrl,
} from '../../../main/shell/security';

vi.mock('electron', () => ({}));

type Handler = (...args: unknown[]) => unknown;

function fakeContents() {
  const listeners = new Map<string, Handler>();
  let openHandler: Handler | undefined;
  const session = fakeSession();
  return {
    session,
    on: vi.fn((name: string, listener: Handler) => {
      listeners.set(name, listener);
    }),
    setWindowOpenHandler: vi.fn((handler: Handler) => {
      openHandler = handler;
    }),
    fire(name: string, ...args: unknown[]) {
      const listener = listeners.get(name);
      if (!listener) throw new Error(`no ${name} listener`);
      return listener(...args);
    },
    open(url: string) {
      if (!openHandler) throw new Error('no window open handler');
      return openHandler({ url, frameName: '', features: '', disposition: 'new-window' });
    },
  };
}

function fakeSession() {
  return {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
  };
}

const prevented = () => {
  const event = { preventDefault: vi.fn() };
  return event;
};

describe('isAppUrl', () => {
  it.each([
    ['app://chronokey/index.html', undefined, true],
    ['app://chronokey/', undefined, true],
    ['app://chronokey.evil/', undefined, false],
    ['app://other/', undefined, false],
    ['file:///etc/passwd', undefined, false],
    ['https://example.com/', undefined, false],
    ['http://localhost:5173/', undefined, false],
    ['http://localhost:5173/', 'http://localhost:5173', true],
    ['http://localhost:5174/', 'http://localhost:5173', false],
    ['https://localhost:5173/', 'http://localhost:5173', false],
    ['not a url', undefined, false],
  ])('%s (dev origin %s) → %s', (url, dev, expected) => {
    expect(isAppUrl(url, dev)).toBe(expected);
  });
});

const SHOWN = EXTERNAL_LINKS.syncthing;

describe('isSafeExternalUrl: only the links the app itself shows', () => {
  it.each([
    [SHOWN, true],
    ...Object.values(EXTERNAL_LINKS).map((url) => [url, true] as [string, boolean]),
    // Anything the renderer could compose is refused, however harmless it looks.
    ['https://github.com/chronokey', false],
    ['https://example.com/', false],
    ['http://example.com', false],
    [`${SHOWN}?q=1`, false],
    [`${SHOWN}#top`, false],
    [SHOWN.replace('https:', 'http:'), false],
    ['https://syncthing.net.evil.example/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://server/share', false],
    ['ms-msdt:/id', false],
    ['app://chronokey/', false],
    ['https://user:pass@example.com/', false],
    ['https://', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isSafeExternalUrl(url)).toBe(expected);
  });
});

describe('hardenWebContents', () => {
  function setup(devOrigin?: string) {
    const contents = fakeContents();
    const openExternal = vi.fn(async () => {});
    hardenWebContents(contents as never, { openExternal, devOrigin });
    return { contents, openExternal };
  }

  it('lets our own pages navigate (a reload) and stops every other navigation', () => {
    const { contents, openExternal } = setup();
    const ours = prevented();
    contents.fire('will-navigate', ours, 'app://chronokey/index.html');
    expect(ours.preventDefault).not.toHaveBeenCalled();

    for (const url of ['file:///etc/passwd', 'app://evil/', 'javascript:alert(1)']) {
      const event = prevented();
      contents.fire('will-navigate', event, url);
      expect(event.preventDefault).toHaveBeenCalled();
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('opens a link the app shows in the browser instead of navigating the window', () => {
    const { contents, openExternal } = setup();
    const event = prevented();
    contents.fire('will-navigate', event, SHOWN);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledWith(SHOWN);
    const other = prevented();
    contents.fire('will-navigate', other, 'https://example.com/help');
    expect(other.preventDefault).toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('stops redirects and subframe navigations away from our origin', () => {
    const { contents } = setup();
    const redirect = prevented();
    contents.fire('will-redirect', redirect, 'https://evil.example/');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const frame = { ...prevented(), url: 'https://evil.example/' };
    contents.fire('will-frame-navigate', frame);
    expect(frame.preventDefault).toHaveBeenCalled();
    const ownFrame = { ...prevented(), url: 'app://chronokey/index.html' };
    contents.fire('will-frame-navigate', ownFrame);
    expect(ownFrame.preventDefault).not.toHaveBeenCalled();
  });

  it('denies every new window, opening only the allowed links in the browser', () => {
    const { contents, openExternal } = setup();
    expect(contents.open(SHOWN)).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith(SHOWN);
    openExternal.mockClear();
    for (const url of [
      'https://example.com/',
      'https://attacker.example/?secret=123456',
      'file:///etc/passwd',
      'app://chronokey/index.html',
      'javascript:x',
    ]) {
      expect(contents.open(url)).toEqual({ action: 'deny' });
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('survives a browser that cannot be opened', async () => {
    const contents = fakeContents();
    const openExternal = vi.fn(async () => {
      throw new Error('no browser');
    });
    hardenWebContents(contents as never, { openExternal });
    expect(contents.open(SHOWN)).toEqual({ action: 'deny' });
    await Promise.resolve();
  });

  it('prevents attaching a <webview>', () => {
    const { contents } = setup();
    const event = prevented();
    contents.fire('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('allows the dev server origin only when given one', () => {
    const { contents } = setup('http://localhost:5173');
    const event = prevented();
    contents.fire('will-navigate', event, 'http://localhost:5173/');
    expect(event.preventDefault).not.toHaveBeenCalled();
    const other = prevented();
    contents.fire('will-navigate', other, 'http://localhost:9999/');
    expect(other.preventDefault).toHaveBeenCalled();
  });
});

describe('permissions', () => {
  it('denies every permission request, check and device', () => {
    const session = fakeSession();
    denyAllPermissions(session);
    const request = session.setPermissionRequestHandler.mock.calls[0]![0] as Handler;
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation']) {
      const callback = vi.fn();
      request({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
    }
    const check = session.setPermissionCheckHandler.mock.calls[0]![0] as Handler;
    expect(check({}, 'clipboard-sanitized-write', 'app://chronokey', {})).toBe(false);
    const device = session.setDevicePermissionHandler.mock.calls[0]![0] as Handler;
    expect(device({ deviceType: 'hid' })).toBe(false);
  });

  it('hardens every new WebContents and its session on web-contents-created', () => {
    const appListeners = new Map<string, Handler>();
    const app = {
      on: vi.fn((name: string, listener: Handler) => appListeners.set(name, listener)),
    };
    const defaultSession = fakeSession();
    applySecurityRules(app as never, defaultSession, { openExternal: vi.fn() });
    expect(defaultSession.setPermissionRequestHandler).toHaveBeenCalledTimes(1);

    const contents = fakeContents();
    appListeners.get('web-contents-created')!({}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(contents.on).toHaveBeenCalledWith('will-navigate', expect.any(Function));
    expect(contents.on).toHaveBeenCalledWith('will-attach-webview', expect.any(Function));
    expect(contents.session.setPermissionRequestHandler).toHaveBeenCalledTimes(1);

    const sameSession = { ...fakeContents(), session: contents.session };
    appListeners.get('web-contents-created')!({}, sameSession);
    expect(contents.session.setPermissionRequestHandler).toHaveBeenCalledTimes(1);
  });
});
