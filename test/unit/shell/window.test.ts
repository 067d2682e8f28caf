import { describe, expect, it, vi } from 'vitest';
import {
  WINDOW_BACKGROUND,
  createMainWindow,
  mainWindowOptions,
  startUrl,
} from '../../../main/shell/window';
import { MIN_WINDOW_SIZE } from '../../../main/shell/window-state';

vi.mock('electron', () => ({}));

const state = { x: 40, y: 50, width: 900, height: 700, maximized: false };

describe('mainWindowOptions', () => {
  const options = mainWindowOptions({ preload: '/app/dist/preload/index.cjs', state, dark: false });

  it('isolates the renderer: context isolation, sandbox, no Node, web security, no webview', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
  });

  it('stays hidden until its first paint, with a minimum size and the theme background', () => {
    expect(options.show).toBe(false);
    expect(options.minWidth).toBe(MIN_WINDOW_SIZE.width);
    expect(options.minHeight).toBe(MIN_WINDOW_SIZE.height);
    expect(options.backgroundColor).toBe(WINDOW_BACKGROUND.light);
    expect(mainWindowOptions({ preload: 'p', state, dark: true }).backgroundColor).toBe(
      WINDOW_BACKGROUND.dark,
    );
  });

  it('opens where it was left, or centred when there is no position', () => {
    expect(options).toMatchObject({ x: 40, y: 50, width: 900, height: 700 });
    const centred = mainWindowOptions({
      preload: 'p',
      state: { width: 800, height: 600, maximized: false },
      dark: false,
    });
    expect(centred).not.toHaveProperty('x');
    expect(centred).not.toHaveProperty('y');
  });
});

describe('createMainWindow', () => {
  function fakeWindowClass() {
    const created: FakeWindow[] = [];
    class FakeWindow {
      handlers = new Map<string, () => void>();
      show = vi.fn();
      maximize = vi.fn();
      loadURL = vi.fn(async (_url: string) => {});
      constructor(readonly options: unknown) {
        created.push(this);
      }
      once(name: string, handler: () => void) {
        this.handlers.set(name, handler);
      }
    }
    return { FakeWindow, created };
  }

  it('shows the window (maximised if it was) only on ready-to-show, and loads the URL', () => {
    const { FakeWindow, created } = fakeWindowClass();
    createMainWindow(FakeWindow as never, {
      preload: 'p',
      state: { ...state, maximized: true },
      dark: false,
      url: 'app://chronokey/index.html',
    });
    const window = created[0]!;
    expect(window.loadURL).toHaveBeenCalledWith('app://chronokey/index.html');
    expect(window.show).not.toHaveBeenCalled();
    window.handlers.get('ready-to-show')!();
    expect(window.maximize).toHaveBeenCalled();
    expect(window.show).toHaveBeenCalled();
  });

  it('starts on our own app:// page unless a dev server is given', () => {
    expect(startUrl(undefined)).toBe('app://chronokey/index.html');
    expect(startUrl('http://localhost:5173/')).toBe('http://localhost:5173/');
  });
});
