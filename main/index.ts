/**
 * The composition root: the one place that wires Electron's adapters (window, protocol,
 * clipboard, power events, menus, dialogs) into the pure core. Everything it calls is tested
 * on its own; this file only connects them, in the order Electron needs.
 */
import path from 'node:path';
import {
  BrowserWindow,
  Menu,
  app,
  clipboard,
  dialog,
  ipcMain,
  nativeTheme,
  powerMonitor,
  protocol,
  screen,
  session,
  shell,
} from 'electron';
import type { LockReason } from '../shared/contract';
import { startAutoLock } from './core/auto-lock';
import { createHandlers } from './core/handlers';
import { systemClock } from './core/ports';
import { VaultSession } from './core/session';
import { createKeytarKeychain } from './core/vault/keychain';
import { createClipboardAdapter } from './shell/clipboard';
import { applyDevCsp, devServerUrl } from './shell/dev';
import { sendEvent } from './shell/events';
import { registerIpcHandlers } from './shell/ipc';
import { buildMenuTemplate } from './shell/menu';
import { createPowerPorts } from './shell/power';
import { registerAppScheme, serveAppProtocol } from './shell/protocol';
import { applySecurityRules } from './shell/security';
import { claimSingleInstance, focusWindow } from './shell/single-instance';
import { createMainWindow, startUrl } from './shell/window';
import {
  WINDOW_STATE_FILE,
  fitToDisplays,
  loadWindowState,
  saveWindowState,
  trackWindowState,
} from './shell/window-state';

// The app folder holds package.json and dist/ (in a packaged app: inside app.asar).
const distDir = path.join(app.getAppPath(), 'dist');
const PRELOAD = path.join(distDir, 'preload', 'index.cjs');
const RENDERER_ROOT = path.join(distDir, 'renderer');

// The app keeps its data where the CLI looks for the vault (`defaultVaultDir`): userData,
// or CHRONOKEY_VAULT_DIR for both. Set before anything reads userData (the instance lock does).
if (process.env.CHRONOKEY_VAULT_DIR) {
  app.setPath('userData', path.resolve(process.env.CHRONOKEY_VAULT_DIR));
}

// Must happen before `ready`.
registerAppScheme(protocol);

const devUrl = devServerUrl(app.isPackaged, process.env);
const devOrigin = devUrl === undefined ? undefined : new URL(devUrl).origin;

let mainWindow: BrowserWindow | null = null;

function report(error: unknown): void {
  console.error('[chronokey]', error);
}

function liveContents() {
  return mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null;
}

async function start(): Promise<void> {
  const vaultSession = new VaultSession(
    { dir: app.getPath('userData'), keychain: createKeytarKeychain() },
    systemClock,
  );
  const appClipboard = createClipboardAdapter(clipboard);
  const handlers = createHandlers({
    session: vaultSession,
    clock: systemClock,
    clipboard: appClipboard,
    onBackgroundError: report,
  });

  applySecurityRules(app, session.defaultSession, {
    openExternal: (url) => shell.openExternal(url),
    devOrigin,
  });
  if (devUrl !== undefined) applyDevCsp(session.defaultSession, devUrl);
  serveAppProtocol(protocol, RENDERER_ROOT);
  registerIpcHandlers({
    ipcMain,
    handlers,
    isOurWindow: (id) => liveContents()?.id === id,
    devOrigin,
    onInternalError: (channel, error) => report(new Error(`${channel} failed`, { cause: error })),
  });

  /** Locks an unlocked vault and tells the window, which then shows its lock screen. */
  async function lockVault(reason: LockReason): Promise<void> {
    if (!vaultSession.isUnlocked) return;
    await handlers['vault.lock']();
    sendEvent(liveContents(), 'vault.locked', { reason });
  }

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: process.platform,
        isPackaged: app.isPackaged,
        appName: app.getName(),
        commands: {
          lock: () => void lockVault('manual').catch(report),
          find: () => sendEvent(liveContents(), 'ui.focusSearch', {}),
          addAccount: () => sendEvent(liveContents(), 'ui.addAccount', {}),
          openSettings: () => sendEvent(liveContents(), 'ui.openSettings', {}),
        },
      }),
    ),
  );

  startAutoLock({
    ...createPowerPorts(powerMonitor),
    isUnlocked: () => vaultSession.isUnlocked,
    autoLockMinutes: async () => (await vaultSession.content()).settings.autoLockMinutes,
    lock: lockVault,
    onError: report,
  });

  const openWindow = () => {
    const stateFile = path.join(app.getPath('userData'), WINDOW_STATE_FILE);
    const primary = screen.getPrimaryDisplay();
    const displays = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)];
    const window = createMainWindow(BrowserWindow, {
      preload: PRELOAD,
      state: fitToDisplays(
        loadWindowState(stateFile),
        displays.map((display) => display.workArea),
      ),
      dark: nativeTheme.shouldUseDarkColors,
      url: startUrl(devUrl),
    });
    trackWindowState(window, (state) => saveWindowState(stateFile, state));
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
      // No window shows the codes any more (macOS keeps the app running): lock.
      handlers['vault.lock']().catch(report);
    });
    mainWindow = window;
  };

  openWindow();
  app.on('activate', () => {
    if (mainWindow === null) openWindow();
    else focusWindow(mainWindow);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // A code copied just before quitting does not outlive the app on the clipboard.
  let clipboardChecked = false;
  app.on('will-quit', (event) => {
    if (clipboardChecked) return;
    event.preventDefault();
    clipboardChecked = true;
    void appClipboard.clearIfOurs().finally(() => app.quit());
  });
}

if (claimSingleInstance(app, () => focusWindow(mainWindow))) {
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      report(error);
      dialog.showErrorBox(
        'Chronokey could not start',
        'Something stopped Chronokey from opening its window. Your vault was not changed. ' +
          'Try opening Chronokey again.',
      );
      app.exit(1);
    });
}
