import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { channels } from '../../../shared/contract';

/**
 * main/index.ts with every Electron module faked: checks the order Electron needs (scheme
 * before ready, instance lock first) and that each guard and adapter is actually wired.
 */
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const state = {
    isPackaged: true,
    gotLock: true,
    ready: null as null | (() => void),
    appListeners: new Map<string, Listener>(),
    windows: [] as { options: Record<string, unknown>; window: Record<string, unknown> }[],
    sent: [] as [string, unknown][],
    order: [] as string[],
    userData: '/tmp/chronokey-user-data-that-is-never-written',
  };

  const webContents = {
    id: 11,
    send: (channel: string, payload: unknown) => state.sent.push([channel, payload]),
    isDestroyed: () => false,
  };

  class BrowserWindow {
    webContents = webContents;
    listeners = new Map<string, Listener>();
    loadURL = vi.fn(async () => {});
    constructor(options: Record<string, unknown>) {
      state.windows.push({ options, window: this as unknown as Record<string, unknown> });
    }
    on(name: string, listener: Listener) {
      this.listeners.set(name, listener);
      return this;
    }
    once(name: string, listener: Listener) {
      return this.on(name, listener);
    }
    isDestroyed = () => false;
    show = vi.fn();
    maximize = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    isMinimized = () => false;
    isVisible = () => true;
    setContentProtection = vi.fn();
  }

  const trays: { menus: unknown[]; listeners: Map<string, Listener> }[] = [];
  class Tray {
    menus: unknown[] = [];
    listeners = new Map<string, Listener>();
    constructor() {
      trays.push(this);
    }
    setToolTip = vi.fn();
    setContextMenu(menu: unknown) {
      this.menus.push(menu);
    }
    on(name: string, listener: Listener) {
      this.listeners.set(name, listener);
    }
    destroy = vi.fn();
  }
  const image = { addRepresentation: vi.fn(), setTemplateImage: vi.fn() };

  const menuTemplates: unknown[] = [];
  const electron = {
    app: {
      get isPackaged() {
        return state.isPackaged;
      },
      setPath: vi.fn((_name: string, value: string) => {
        state.userData = value;
      }),
      getPath: vi.fn(() => state.userData),
      getName: () => 'Chronokey',
      getAppPath: () => '/opt/chronokey/app',
      requestSingleInstanceLock: vi.fn(() => {
        state.order.push('requestSingleInstanceLock');
        return state.gotLock;
      }),
      quit: vi.fn(),
      exit: vi.fn(),
      setAsDefaultProtocolClient: vi.fn(() => true),
      setLoginItemSettings: vi.fn(),
      on: vi.fn((name: string, listener: Listener) => state.appListeners.set(name, listener)),
      whenReady: vi.fn(
        () =>
          new Promise<void>((resolve) => {
            state.ready = resolve;
          }),
      ),
    },
    BrowserWindow,
    Menu: {
      buildFromTemplate: vi.fn((template: unknown) => {
        menuTemplates.push(template);
        return { template };
      }),
      setApplicationMenu: vi.fn(),
    },
    clipboard: {
      readText: vi.fn(async () => ''),
      writeText: vi.fn(async () => {}),
      clear: vi.fn(),
    },
    desktopCapturer: { getSources: vi.fn(async () => []) },
    dialog: { showErrorBox: vi.fn(), showOpenDialog: vi.fn() },
    globalShortcut: { register: vi.fn(() => true), unregister: vi.fn() },
    nativeImage: { createFromDataURL: vi.fn(() => image) },
    Tray,
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    nativeTheme: { shouldUseDarkColors: true },
    powerMonitor: { getSystemIdleTime: vi.fn(() => 0), on: vi.fn(), off: vi.fn() },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => state.order.push('registerSchemesAsPrivileged')),
      handle: vi.fn(),
    },
    screen: {
      getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1050 } }),
      getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1050 } }],
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
        webRequest: { onHeadersReceived: vi.fn() },
      },
    },
    shell: { openExternal: vi.fn(async () => {}) },
  };
  return { state, electron, menuTemplates, trays };
});

vi.mock('electron', () => fake.electron);

async function boot(env: Record<string, string> = {}) {
  vi.resetModules();
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  await import('../../../main/index');
  const ready = fake.state.ready;
  if (ready) {
    ready();
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The application menu's template (the tray builds menus from templates too). */
function appMenuTemplate(): unknown {
  const menu = fake.electron.Menu.setApplicationMenu.mock.calls.at(-1)?.[0] as
    { template: unknown } | undefined;
  return menu?.template;
}

type MenuItem = { label?: string; click?: () => void; submenu?: MenuItem[]; role?: string };
function menuItem(label: string): MenuItem {
  const template = appMenuTemplate() as MenuItem[];
  for (const top of template) {
    const found = top.submenu?.find((item) => item.label === label);
    if (found) return found;
  }
  throw new Error(`no menu item ${label}`);
}

beforeEach(() => {
  vi.clearAllMocks();
  fake.state.userData = '/tmp/chronokey-user-data-that-is-never-written';
  fake.state.isPackaged = true;
  fake.state.gotLock = true;
  fake.state.ready = null;
  fake.state.appListeners.clear();
  fake.state.windows.length = 0;
  fake.state.sent.length = 0;
  fake.state.order.length = 0;
  fake.menuTemplates.length = 0;
  fake.trays.length = 0;
});
afterEach(() => vi.unstubAllEnvs());

describe('main/index.ts', () => {
  it('registers the app:// scheme before ready and claims the single-instance lock', async () => {
    await boot();
    expect(fake.state.order).toEqual(['registerSchemesAsPrivileged', 'requestSingleInstanceLock']);
  });

  it('quits at once, opening nothing, when another Chronokey is running', async () => {
    fake.state.gotLock = false;
    await boot();
    expect(fake.electron.app.quit).toHaveBeenCalled();
    expect(fake.electron.app.whenReady).not.toHaveBeenCalled();
    expect(fake.state.windows).toHaveLength(0);
  });

  it('keeps its data (and the vault) in CHRONOKEY_VAULT_DIR when given', async () => {
    await boot({ CHRONOKEY_VAULT_DIR: '/tmp/vault-here' });
    expect(fake.electron.app.setPath).toHaveBeenCalledWith(
      'userData',
      path.resolve('/tmp/vault-here'),
    );
  });

  it('opens one hardened window on app://chronokey with the built preload', async () => {
    await boot();
    expect(fake.state.windows).toHaveLength(1);
    const { options, window } = fake.state.windows[0]!;
    expect(options).toMatchObject({
      show: false,
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
      },
    });
    const preload = (options.webPreferences as { preload: string }).preload;
    expect(preload).toBe(path.join('/opt/chronokey/app', 'dist', 'preload', 'index.cjs'));
    expect(window.loadURL).toHaveBeenCalledWith('app://chronokey/index.html');
  });

  it('serves app://, registers every IPC channel, denies permissions and hardens contents', async () => {
    await boot();
    expect(fake.electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    const serve = fake.electron.protocol.handle.mock.calls[0]![1] as (
      r: object,
    ) => Promise<Response>;
    const missing = await serve({ url: 'app://chronokey/%2e%2e/package.json', method: 'GET' });
    expect(missing.status).toBe(404);
    const registered = fake.electron.ipcMain.handle.mock.calls.map((call) => call[0]);
    expect(registered.sort()).toEqual([...channels].sort());
    const { defaultSession } = fake.electron.session;
    expect(defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(defaultSession.setPermissionCheckHandler).toHaveBeenCalled();
    expect(fake.state.appListeners.has('web-contents-created')).toBe(true);
    expect(defaultSession.webRequest.onHeadersReceived).not.toHaveBeenCalled();
  });

  it('listens for suspend and screen lock to lock the vault', async () => {
    await boot();
    const events = fake.electron.powerMonitor.on.mock.calls.map((call) => call[0]);
    expect(events).toEqual(expect.arrayContaining(['suspend', 'lock-screen']));
  });

  it('sets a native menu whose Find, Add and Settings items reach the window as events', async () => {
    await boot();
    expect(fake.electron.Menu.setApplicationMenu).toHaveBeenCalled();
    menuItem('Find').click!();
    menuItem('Add Account…').click!();
    expect(fake.state.sent).toEqual([
      ['event:ui.focusSearch', {}],
      ['event:ui.addAccount', {}],
    ]);
    const roles = JSON.stringify(appMenuTemplate());
    expect(roles).not.toContain('toggleDevTools');
  });

  it('does not send vault.locked from the Lock item while the vault is not unlocked', async () => {
    await boot();
    menuItem('Lock').click!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.state.sent).toEqual([]);
  });

  it('ignores a dev server URL in a packaged app', async () => {
    await boot({ CHRONOKEY_DEV_SERVER_URL: 'http://localhost:5173/' });
    expect(fake.state.windows[0]!.window.loadURL).toHaveBeenCalledWith(
      'app://chronokey/index.html',
    );
  });

  it('loads the dev server, with its own CSP and DevTools, only when not packaged', async () => {
    fake.state.isPackaged = false;
    await boot({ CHRONOKEY_DEV_SERVER_URL: 'http://localhost:5173/' });
    expect(fake.state.windows[0]!.window.loadURL).toHaveBeenCalledWith('http://localhost:5173/');
    expect(fake.electron.session.defaultSession.webRequest.onHeadersReceived).toHaveBeenCalled();
    expect(JSON.stringify(appMenuTemplate())).toContain('toggleDevTools');
  });

  it('checks the clipboard before quitting, then quits', async () => {
    await boot();
    const willQuit = fake.state.appListeners.get('will-quit')!;
    const event = { preventDefault: vi.fn() };
    willQuit(event);
    expect(event.preventDefault).toHaveBeenCalled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.electron.app.quit).toHaveBeenCalled();
    const again = { preventDefault: vi.fn() };
    willQuit(again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });
});

describe('main/index.ts with a real vault', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'chronokey-root-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const trusted = {
    sender: { id: 11 },
    senderFrame: { url: 'app://chronokey/index.html', parent: null },
  };
  function invoke(channel: string, input?: unknown) {
    const call = fake.electron.ipcMain.handle.mock.calls.find((entry) => entry[0] === channel);
    const listener = call![1] as (event: unknown, input: unknown) => Promise<unknown>;
    return listener(trusted, input);
  }

  it('locks an unlocked vault from the menu and on suspend, telling the window why', async () => {
    await boot({ CHRONOKEY_VAULT_DIR: dir });
    const created = await invoke('vault.create', { useKeychain: false, password: 'pass phrase' });
    expect(created).toMatchObject({ ok: true, value: { state: 'unlocked' } });

    menuItem('Lock').click!();
    await expect
      .poll(() => fake.state.sent)
      .toEqual([['event:vault.locked', { reason: 'manual' }]]);
    expect(await invoke('vault.status')).toMatchObject({ value: { state: 'locked' } });

    await invoke('vault.unlock', { password: 'pass phrase' });
    const suspend = fake.electron.powerMonitor.on.mock.calls.find((c) => c[0] === 'suspend')!;
    (suspend[1] as () => void)();
    await expect
      .poll(() => fake.state.sent.at(-1))
      .toEqual(['event:vault.locked', { reason: 'suspend' }]);
    expect(await invoke('vault.status')).toMatchObject({ value: { state: 'locked' } });

    // Locked already: a screen lock changes nothing and sends nothing.
    const lockScreen = fake.electron.powerMonitor.on.mock.calls.find(
      (c) => c[0] === 'lock-screen',
    )!;
    (lockScreen[1] as () => void)();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.state.sent).toHaveLength(2);
  });
});

describe('main/index.ts OS integration', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'chronokey-os-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const trusted = {
    sender: { id: 11 },
    senderFrame: { url: 'app://chronokey/index.html', parent: null },
  };
  function invoke(channel: string, input?: unknown) {
    const call = fake.electron.ipcMain.handle.mock.calls.find((entry) => entry[0] === channel);
    const listener = call![1] as (event: unknown, input: unknown) => Promise<unknown>;
    return listener(trusted, input);
  }
  const link = 'otpauth://totp/Example:me@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example';

  it('claims otpauth:// when packaged and keeps a first-launch link for the window', async () => {
    vi.stubGlobal('process', { ...process, argv: ['/opt/chronokey/chronokey', link] });
    try {
      await boot({ CHRONOKEY_VAULT_DIR: dir });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(fake.electron.app.setAsDefaultProtocolClient).toHaveBeenCalledWith('otpauth');
    expect(await invoke('system.takePendingLink')).toEqual({ ok: true, value: { uri: link } });
    expect(await invoke('system.takePendingLink')).toEqual({ ok: true, value: null });
  });

  it('does not claim otpauth:// in a development run', async () => {
    fake.state.isPackaged = false;
    await boot({ CHRONOKEY_VAULT_DIR: dir });
    expect(fake.electron.app.setAsDefaultProtocolClient).not.toHaveBeenCalled();
  });

  it('brings the window forward and opens the add flow for a link from a second instance', async () => {
    await boot({ CHRONOKEY_VAULT_DIR: dir });
    const secondInstance = fake.state.appListeners.get('second-instance')!;
    secondInstance({}, ['chronokey', '--no-sandbox', 'otpauth://totp/bad link']);
    expect(fake.state.sent).toEqual([]);
    secondInstance({}, ['chronokey', link]);
    expect(fake.state.sent).toEqual([['event:ui.addLink', { uri: link }]]);
    const window = fake.state.windows[0]!.window as { focus: ReturnType<typeof vi.fn> };
    expect(window.focus).toHaveBeenCalled();
    expect(await invoke('system.takePendingLink')).toEqual({ ok: true, value: { uri: link } });
  });

  it('takes links from macOS open-url, refusing anything but otpauth://', async () => {
    await boot({ CHRONOKEY_VAULT_DIR: dir });
    const openUrl = fake.state.appListeners.get('open-url')!;
    const event = { preventDefault: vi.fn() };
    openUrl(event, 'https://example.com/');
    openUrl(event, link);
    expect(event.preventDefault).toHaveBeenCalledTimes(2);
    expect(fake.state.sent).toEqual([['event:ui.addLink', { uri: link }]]);
  });

  it('protects the window from capture and registers the default shortcut before unlock', async () => {
    await boot({ CHRONOKEY_VAULT_DIR: dir });
    const window = fake.state.windows[0]!.window as {
      setContentProtection: ReturnType<typeof vi.fn>;
    };
    expect(window.setContentProtection).toHaveBeenLastCalledWith(true);
    const register = fake.electron.globalShortcut.register;
    expect(register).toHaveBeenCalledWith('CmdOrCtrl+Shift+K', expect.any(Function));
    (register.mock.calls[0] as unknown as [string, () => void])[1]();
    expect(fake.state.sent).toEqual([['event:ui.focusSearch', {}]]);
  });

  it('lists favourites in the tray, copies through the core, and applies settings', async () => {
    vi.stubEnv('XDG_CONFIG_HOME', path.join(dir, 'config'));
    await boot({ CHRONOKEY_VAULT_DIR: dir });
    expect(fake.trays).toHaveLength(1);
    await invoke('vault.create', { useKeychain: false, password: 'pass phrase' });
    const added = (await invoke('accounts.add', { uri: link })) as { value: { id: string } };
    await invoke('accounts.update', { id: added.value.id, changes: { favourite: true } });

    type Item = { label?: string; click?: () => void; enabled?: boolean };
    const menu = () => (fake.trays[0]!.menus.at(-1) as { template: Item[] }).template;
    const favourite = menu().find((item) => item.label === 'Example (me@example.com)')!;
    favourite.click!();
    await expect
      .poll(() => fake.electron.clipboard.writeText.mock.calls.at(-1))
      .toEqual([expect.stringMatching(/^\d{6}$/)]);

    await invoke('settings.update', {
      launchAtLogin: true,
      contentProtection: false,
      globalShortcut: 'Alt+Shift+J',
    });
    const window = fake.state.windows[0]!.window as {
      setContentProtection: ReturnType<typeof vi.fn>;
    };
    expect(window.setContentProtection).toHaveBeenLastCalledWith(false);
    expect(fake.electron.globalShortcut.unregister).toHaveBeenCalledWith('CmdOrCtrl+Shift+K');
    expect(fake.electron.globalShortcut.register).toHaveBeenLastCalledWith(
      'Alt+Shift+J',
      expect.any(Function),
    );
    if (process.platform === 'linux') {
      const autostart = path.join(dir, 'config', 'autostart', 'chronokey.desktop');
      expect(readFileSync(autostart, 'utf8')).toContain('Exec=');
    }
    expect(JSON.parse(readFileSync(path.join(dir, 'preferences.json'), 'utf8'))).toEqual({
      contentProtection: false,
      globalShortcut: 'Alt+Shift+J',
    });

    menu().find((item) => item.label === 'Lock')!.click!();
    await expect.poll(() => menu()[2]?.label).toBe('Locked: open Chronokey to unlock');
  });
});
