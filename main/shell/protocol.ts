import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from './csp';
import { APP_HOST, APP_SCHEME } from './ipc';

/**
 * Must run before the app is ready: makes app:// a standard, secure scheme so the renderer
 * gets a real origin (app://chronokey), localStorage, fetch of its own assets, and CSP 'self'.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/**
 * Turns a URL path into a file under `root`, or null when it must not be served. Decodes once,
 * then refuses anything that could leave the root or confuse a file system: `..` segments
 * (also when percent-encoded), backslashes, NUL and other control characters, drive letters
 * and colons, and bad percent-encoding. `/` is index.html.
 */
export function resolveAppPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\:]/.test(decoded)) return null;
  if (!decoded.startsWith('/')) return null;
  const segments = decoded.split('/').slice(1);
  if (segments.some((segment) => segment === '..' || segment === '.')) return null;
  const relative = segments.join('/');
  const file = relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative;
  if (file.startsWith('/')) return null; // "//x" would be absolute
  const resolvedRoot = path.resolve(root);
  const resolved = path.resolve(resolvedRoot, ...file.split('/'));
  return isInside(resolvedRoot, resolved) ? resolved : null;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeType(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers on every app:// response, including errors. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}

export interface AppFiles {
  readFile(file: string): Promise<Uint8Array>;
  realpath(file: string): Promise<string>;
}

const nodeFiles: AppFiles = { readFile, realpath };

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

/**
 * The app:// handler: serves files under `root` (the Vite build in dist/renderer) for host
 * `chronokey` only, GET and HEAD only, with the CSP on every response. A symlink pointing
 * out of the root is refused as well.
 */
export function createAppProtocolHandler(
  root: string,
  files: AppFiles = nodeFiles,
): (request: Pick<Request, 'url' | 'method'>) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Not allowed');
    const url = URL.parse(request.url);
    if (!url || url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
      return plain(404, 'Not found');
    }
    const file = resolveAppPath(root, url.pathname);
    if (!file) return plain(404, 'Not found');
    try {
      const [realRoot, real] = await Promise.all([
        files.realpath(path.resolve(root)),
        files.realpath(file),
      ]);
      if (!isInside(realRoot, real)) return plain(404, 'Not found');
      const body = await files.readFile(real);
      return new Response(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), {
        status: 200,
        headers: { ...securityHeaders(), 'Content-Type': mimeType(real) },
      });
    } catch {
      // Missing file, a folder, no permission: the renderer only ever asks for files it has.
      return plain(404, 'Not found');
    }
  };
}

/** Serves dist/renderer on app://chronokey/. Call once the app is ready. */
export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  const handler = createAppProtocolHandler(root);
  protocol.handle(APP_SCHEME, (request) => handler(request));
}
