import type { App, Event, Session, WebContents } from 'electron';
import { isAllowedExternalLink } from '../../shared/external-links';
import { APP_HOST, APP_SCHEME } from './ipc';

/**
 * Electron's security checklist for every WebContents the app ever creates: no navigation
 * away from our origin, no new windows, no <webview>, no permission granted. Applied on
 * `web-contents-created`, so it also covers anything we did not create on purpose.
 */

export interface SecurityOptions {
  /** Opens a link in the user's browser (shell.openExternal). */
  openExternal: (url: string) => Promise<void> | void;
  /** Development only: the Vite dev server's origin, treated like our own. */
  devOrigin?: string | undefined;
}

/** Whether `url` is a page of ours: app://chronokey/…, or the dev server in development. */
export function isAppUrl(url: string, devOrigin?: string): boolean {
  const parsed = URL.parse(url);
  if (!parsed) return false;
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true;
  if (devOrigin === undefined) return false;
  const dev = URL.parse(devOrigin);
  return dev !== null && parsed.protocol === dev.protocol && parsed.host === dev.host;
}

/**
 * Only the few https links the app itself shows (shared/external-links.ts, exactly) may leave
 * the app for the browser: nothing the renderer composes.
 */
export function isSafeExternalUrl(url: string): boolean {
  const parsed = URL.parse(url);
  if (!parsed || parsed.protocol !== 'https:') return false;
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return false;
  return isAllowedExternalLink(url);
}

function openIfSafe(url: string, options: SecurityOptions): void {
  if (!isSafeExternalUrl(url)) return;
  void Promise.resolve(options.openExternal(url)).catch(() => {
    // No browser could be opened: nothing more to do, and the window stays where it is.
  });
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function hardenWebContents(contents: GuardedContents, options: SecurityOptions): void {
  const guardNavigation = (event: Event, url: string) => {
    if (isAppUrl(url, options.devOrigin)) return;
    event.preventDefault();
    openIfSafe(url, options);
  };
  contents.on('will-navigate', (event, url) => guardNavigation(event, url));
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, options.devOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, options.devOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openIfSafe(url, options);
    return { action: 'deny' };
  });
}

type GuardedSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/** Chronokey needs no camera, microphone, notifications, clipboard API, HID, USB or serial. */
export function denyAllPermissions(session: GuardedSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** Applies the rules to every WebContents (and its session) as soon as it exists. */
export function applySecurityRules(
  app: Pick<App, 'on'>,
  defaultSession: GuardedSession,
  options: SecurityOptions,
): void {
  denyAllPermissions(defaultSession);
  const hardenedSessions = new WeakSet<object>([defaultSession]);
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, options);
    if (!hardenedSessions.has(contents.session)) {
      hardenedSessions.add(contents.session);
      denyAllPermissions(contents.session);
    }
  });
}
