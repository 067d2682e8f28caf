import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../main/shell/csp';
import {
  createAppProtocolHandler,
  mimeType,
  registerAppScheme,
  resolveAppPath,
  serveAppProtocol,
} from '../../../main/shell/protocol';

vi.mock('electron', () => ({}));

const root = mkdtempSync(path.join(tmpdir(), 'chronokey-protocol-'));
const renderer = path.join(root, 'renderer');
mkdirSync(path.join(renderer, 'assets'), { recursive: true });
writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Chronokey</title>');
writeFileSync(path.join(renderer, 'assets', 'app-1a2b.js'), 'console.log(1)');
writeFileSync(path.join(renderer, 'assets', 'app.css'), 'body{}');
writeFileSync(path.join(root, 'secret.txt'), 'outside the root');
writeFileSync(path.join(root, 'renderer-evil.txt'), 'a sibling folder with a common prefix');
symlinkSync(path.join(root, 'secret.txt'), path.join(renderer, 'assets', 'link.txt'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolveAppPath', () => {
  it.each([
    ['/', 'index.html'],
    ['/index.html', 'index.html'],
    ['/assets/app-1a2b.js', 'assets/app-1a2b.js'],
    ['/assets/', 'assets/index.html'],
    ['/assets/my%20icon.svg', 'assets/my icon.svg'],
    ['/a//b.js', 'a/b.js'],
    ['/%252e%252e/x', '%2e%2e/x'], // decoded once: a literal file name, still inside
  ])('maps %s inside the root', (urlPath, expected) => {
    expect(resolveAppPath(renderer, urlPath)).toBe(path.join(renderer, ...expected.split('/')));
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/..',
    '/.',
    '/./index.html',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/.%2e/secret.txt',
    '/%2e./secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/assets\\..\\..\\secret.txt',
    '/%5c%5cserver%5cshare',
    '//etc/passwd',
    '/%2fetc%2fpasswd',
    '/C:/Windows/win.ini',
    '/C%3a%5cWindows',
    '/index.html%00.png',
    '/index.html\u0000',
    '/a%0ab',
    '/%e0%a4%a', // malformed percent-encoding
    '/%',
    'index.html', // not absolute
    '',
    '/../renderer-evil.txt',
  ])('refuses %j', (urlPath) => {
    expect(resolveAppPath(renderer, urlPath)).toBeNull();
  });

  it('never returns a path outside the root for any of a few thousand random paths', () => {
    const pieces = ['..', '.', '%2e', '%2E', '%2f', '%5c', '\\', '/', 'a', '%00', ':', '%252e'];
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i++) {
      let urlPath = '/';
      for (let j = 0; j < 6; j++) urlPath += pieces[Math.floor(random() * pieces.length)];
      const resolved = resolveAppPath(renderer, urlPath);
      if (resolved !== null) expect(resolved.startsWith(renderer + path.sep)).toBe(true);
    }
  });
});

describe('app:// handler', () => {
  const handle = createAppProtocolHandler(renderer);
  const get = (url: string, method = 'GET') => handle({ url, method });

  it('serves index.html for the root with the strict CSP and a content type', async () => {
    const response = await get('app://chronokey/');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Chronokey</title>');
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('serves assets with their MIME type', async () => {
    const script = await get('app://chronokey/assets/app-1a2b.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    expect((await get('app://chronokey/assets/app.css')).headers.get('Content-Type')).toContain(
      'text/css',
    );
  });

  it.each([
    'app://chronokey/missing.js',
    'app://chronokey/assets', // a folder
    'app://chronokey/assets/link.txt', // a symlink out of the root
    'app://chronokey/%2e%2e/secret.txt',
    'app://chronokey/..%2fsecret.txt',
    'app://chronokey/..%5csecret.txt',
    'app://evil/index.html',
    'app://chronokey.evil/index.html',
    'https://chronokey/index.html',
  ])('answers 404 with the CSP for %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await response.text()).not.toContain('outside the root');
  });

  it('refuses methods other than GET and HEAD, and HEAD has no body', async () => {
    expect((await get('app://chronokey/', 'POST')).status).toBe(405);
    const head = await get('app://chronokey/', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('knows the MIME types a Vite build produces', () => {
    expect(mimeType('a.woff2')).toBe('font/woff2');
    expect(mimeType('a.SVG')).toBe('image/svg+xml');
    expect(mimeType('a.unknown')).toBe('application/octet-stream');
  });
});

describe('scheme registration', () => {
  it('registers app:// as standard and secure before ready, and handles it', async () => {
    const registerSchemesAsPrivileged = vi.fn();
    registerAppScheme({ registerSchemesAsPrivileged });
    expect(registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
    const handle = vi.fn();
    serveAppProtocol({ handle }, renderer);
    expect(handle).toHaveBeenCalledWith('app', expect.any(Function));
    const served = (await handle.mock.calls[0]![1]({
      url: 'app://chronokey/index.html',
      method: 'GET',
    })) as Response;
    expect(served.status).toBe(200);
  });
});
