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
  desktopCapturer,
  dialog,
  globalShortcut,
  ipcMain,
  nativeImage,
  nativeTheme,
  powerMonitor,
  protocol,
  screen,
  session,
  shell,
  Tray,
} from 'electron';
import type { LockReason } from '../shared/contract';
import { PREFERENCES_FILE } from './core/app-preferences';
import { startAutoLock } from './core/auto-lock';
import { removeTempFilesNow } from './core/backup/export-files';
import { observeHandlers } from './core/handler-observer';
import { createHandlers } from './core/handlers';
import { createLinkInbox } from './core/otpauth-link-intake';
import { systemClock } from './core/ports';
import { VaultSession } from './core/session';
import { createKeytarKeychain } from './core/vault/keychain';
import { createClipboardAdapter } from './shell/clipboard';
import { createClockHealthCheck } from './shell/clock-health';
import { applyDevCsp, devServerUrl } from './shell/dev';
import { sendEvent } from './shell/events';
import { createOpenFilesAdapter } from './shell/open-files';
import { createFolderDialogAdapter, createSaveDialogAdapter } from './shell/backup-dialogs';
import { createConfirmDialogAdapter } from './shell/confirm-dialog';
import { createGlobalShortcut } from './shell/global-shortcut';
import { registerIpcHandlers } from './shell/ipc';
import { createLoginItem } from './shell/login-item';
import { buildMenuTemplate } from './shell/menu';
import { createOsSettings } from './shell/os-settings';
import { createPowerPorts } from './shell/power';
import { registerAppScheme, serveAppProtocol } from './shell/protocol';
import { registerProtocolClient } from './shell/protocol-client';
import { createScreenCaptureAdapter } from './shell/screen-capture';
import { applySecurityRules } from './shell/security';
import { claimSingleInstance, focusWindow } from './shell/single-instance';
import { createAppTray, favouriteLabel } from './shell/tray';
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

// otpauth:// links wait here until the window takes them (`system.takePendingLink`), so a link
// that arrives before the window exists or while the vault is locked is not lost.
const links = createLinkInbox();
let showWindow: () => void = () => undefined;
function receiveLink(uri: string): void {
  links.put(uri);
  showWindow();
  sendEvent(liveContents(), 'ui.addLink', { uri });
}

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
  const osSettings = createOsSettings({
    platform: process.platform,
    preferencesFile: path.join(app.getPath('userData'), PREFERENCES_FILE),
    shortcut: createGlobalShortcut(globalShortcut, () => showSearch()),
    loginItem: createLoginItem({
      platform: process.platform,
      app,
      env: process.env,
      execPath: process.execPath,
    }),
    window: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null),
    onError: report,
  });
  const handlers = observeHandlers(
    createHandlers({
      session: vaultSession,
      clock: systemClock,
      clipboard: appClipboard,
      onBackgroundError: report,
      dialog: createOpenFilesAdapter(dialog, () =>
        mainWindow && !mainWindow.isDestroyed() ? mainWindow : null,
      ),
      saveDialog: createSaveDialogAdapter(dialog, () =>
        mainWindow && !mainWindow.isDestroyed() ? mainWindow : null,
      ),
      folderDialog: createFolderDialogAdapter(dialog, () =>
        mainWindow && !mainWindow.isDestroyed() ? mainWindow : null,
      ),
      confirm: createConfirmDialogAdapter(dialog, () =>
        mainWindow && !mainWindow.isDestroyed() ? mainWindow : null,
      ),
      autoBackup: {},
      // Sync passes in the background: on unlock, after changes, on folder events, every 5 min.
      sync: {},
      // Other apps' automatic backups, followed: on unlock, on folder events, every 5 min.
      follow: {},
      screen: createScreenCaptureAdapter({ desktopCapturer, screen }),
      events: { emit: (name, payload) => void sendEvent(liveContents(), name, payload) },
      system: {
        clockHealth: createClockHealthCheck({ platform: process.platform, now: systemClock.now }),
        info: () => osSettings.info(),
        takePendingLink: () => links.take(),
        // Transfer QR codes on screen: protected from capture whatever the setting says.
        protectScreen: (enabled) =>
          osSettings.setTemporaryProtection(enabled) &&
          osSettings.info().contentProtectionSupported,
      },
    }),
    (channel) => afterHandled(channel),
    report,
  );

  /** Keeps the tray's favourites and the OS settings in step with the vault. */
  async function afterHandled(channel: string): Promise<void> {
    if (!/^(vault|accounts|settings|import)\./.test(channel) || channel === 'vault.status') return;
    if (!vaultSession.isUnlocked) {
      tray?.update({ unlocked: false, favourites: [] });
      return;
    }
    const content = await vaultSession.content();
    if (/^(vault\.(unlock|create)|settings\.update)$/.test(channel)) {
      osSettings.apply(content.settings);
    }
    tray?.update({
      unlocked: true,
      favourites: content.accounts
        .filter((account) => account.favourite)
        .map((account) => ({
          id: account.id,
          label: favouriteLabel(account.issuer, account.account),
        })),
    });
  }

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
    // The content in memory: no disk read on the way to a lock decision (auto-lock.ts fails
    // closed if this throws anyway).
    autoLockMinutes: async () => vaultSession.vault().content.settings.autoLockMinutes,
    lock: lockVault,
    onError: report,
  });

  /** Shows the window (creating it if needed) and focuses its search box. */
  function showSearch(): void {
    showWindow();
    sendEvent(liveContents(), 'ui.focusSearch', {});
  }
  showWindow = () => {
    if (mainWindow === null) openWindow();
    else focusWindow(mainWindow);
  };

  const tray = (() => {
    try {
      return createAppTray({
        Tray,
        Menu,
        nativeImage,
        platform: process.platform,
        commands: {
          search: showSearch,
          copy: (id) => void handlers['codes.copy']({ id, which: 'auto' }).catch(report),
          lock: () => void lockVault('manual').catch(report),
          quit: () => app.quit(),
        },
      });
    } catch (error) {
      // Some Linux desktops have no tray: Chronokey works the same without it.
      report(error);
      return null;
    }
  })();
  osSettings.start();

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
      devTools: !app.isPackaged,
      url: startUrl(devUrl),
    });
    trackWindowState(window, (state) => saveWindowState(stateFile, state));
    osSettings.attachWindow(window);
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
    removeTempFilesNow();
    if (clipboardChecked) return;
    event.preventDefault();
    clipboardChecked = true;
    void appClipboard.clearIfOurs().finally(() => app.quit());
  });
}

if (claimSingleInstance(app, () => focusWindow(mainWindow))) {
  registerProtocolClient(app, {
    argv: process.argv,
    isPackaged: app.isPackaged,
    onLink: receiveLink,
  });
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
