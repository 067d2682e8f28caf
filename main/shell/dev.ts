import type { Session } from 'electron';
import { devContentSecurityPolicy } from './csp';

/** Set by `npm run dev`: the Vite dev server the window loads instead of app://. */
export const DEV_SERVER_ENV = 'CHRONOKEY_DEV_SERVER_URL';

/**
 * The dev server URL, only in an unpackaged app and only on this machine's loopback: a
 * packaged Chronokey never loads anything but its own files, whatever its environment says.
 */
export function devServerUrl(
  isPackaged: boolean,
  env: Record<string, string | undefined>,
): string | undefined {
  if (isPackaged) return undefined;
  const raw = env[DEV_SERVER_ENV];
  if (!raw) return undefined;
  const url = URL.parse(raw);
  if (!url || url.protocol !== 'http:') return undefined;
  if (!['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return undefined;
  return url.href;
}

/** Development only: the dev server's pages get a CSP too, relaxed just enough for Vite's HMR. */
export function applyDevCsp(session: Pick<Session, 'webRequest'>, devUrl: string): void {
  const origin = new URL(devUrl).origin;
  const policy = devContentSecurityPolicy(origin);
  session.webRequest.onHeadersReceived({ urls: [`${origin}/*`] }, (details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] },
    });
  });
}
