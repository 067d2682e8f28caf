import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { channels, eventSubscriptions } from '../../../shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../../main/shell/csp';
import { buildMenuTemplate } from '../../../main/shell/menu';
import { isAppUrl, isSafeExternalUrl } from '../../../main/shell/security';
import { mainWindowOptions } from '../../../main/shell/window';
import { EXTERNAL_LINKS } from '../../../shared/external-links';

/**
 * DESIGN.md's security baseline, item by item, in one place (each is tested in depth in its
 * own module's tests; docs/security.md maps them). If an item is weakened, this file fails.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const state = { width: 800, height: 600, maximized: false };
const commands = { lock: vi.fn(), find: vi.fn(), addAccount: vi.fn(), openSettings: vi.fn() };

describe('security checklist', () => {
  it('context isolation and sandbox on, Node integration off everywhere, no webview', () => {
    const prefs = mainWindowOptions({ preload: '/p.cjs', state, dark: false }).webPreferences!;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('DevTools are off in packaged builds: no window option, no menu item', () => {
    const packaged = mainWindowOptions({ preload: '/p.cjs', state, dark: false, devTools: false });
    expect(packaged.webPreferences?.devTools).toBe(false);
    // Unless main says otherwise, a window has no DevTools.
    expect(
      mainWindowOptions({ preload: '/p.cjs', state, dark: false }).webPreferences?.devTools,
    ).toBe(false);
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const menu = JSON.stringify(
        buildMenuTemplate({ platform, isPackaged: true, appName: 'Chronokey', commands }),
      );
      expect(menu).not.toContain('toggleDevTools');
      expect(menu).not.toContain('reload');
    }
    const index = readFileSync(path.join(root, 'main/index.ts'), 'utf8');
    expect(index).toContain('devTools: !app.isPackaged');
  });

  it('a strict CSP: nothing inline, nothing remote, no framing', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((part) => {
        const [name, ...values] = part.trim().split(/\s+/);
        return [name!, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)|https?:|\*/);
  });

  it('the UI comes from app://chronokey only; links leave only as the app’s own https links', () => {
    expect(isAppUrl('app://chronokey/index.html')).toBe(true);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isSafeExternalUrl(EXTERNAL_LINKS.syncthing)).toBe(true);
    for (const url of [
      'https://example.com/',
      'file:///c:/x',
      'smb://host/share',
      'https://u:p@example.com/',
      'javascript:1',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });

  it('the preload exposes named methods and subscriptions only', () => {
    const preload = readFileSync(path.join(root, 'main/preload/index.ts'), 'utf8');
    expect(preload).toContain("contextBridge.exposeInMainWorld('chronokey', api)");
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    for (const channel of channels) expect(channel).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
    expect(Object.keys(eventSubscriptions).every((name) => name.startsWith('on'))).toBe(true);
  });

  it('single instance, auto-lock on suspend and screen lock, fuses: wired where they belong', () => {
    const index = readFileSync(path.join(root, 'main/index.ts'), 'utf8');
    expect(index).toContain('claimSingleInstance(app');
    expect(index).toContain('startAutoLock(');
    const power = readFileSync(path.join(root, 'main/shell/power.ts'), 'utf8');
    expect(power).toContain("powerMonitor.on('suspend'");
    expect(power).toContain("powerMonitor.on('lock-screen'");
    const builder = readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
    expect(builder).toMatch(/runAsNode: false/);
    expect(builder).toMatch(/onlyLoadAppFromAsar: true/);
  });

  it('docs/security.md maps every baseline item and says how to report a vulnerability', () => {
    const doc = readFileSync(path.join(root, 'docs/security.md'), 'utf8');
    for (const topic of [
      'contextIsolation',
      'app://',
      'CSP',
      'Navigation',
      'Permission',
      'IPC sender',
      'generic `invoke`',
      'Fuses',
      'DevTools',
      'Single-instance',
      'Auto-lock',
      'Clipboard',
      '## Reporting a vulnerability',
      '## Threat model',
      '## Where secrets live',
    ]) {
      expect(doc, topic).toContain(topic);
    }
  });
});
