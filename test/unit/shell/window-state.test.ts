import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { WindowState } from '../../../main/shell/window-state';
import {
  DEFAULT_WINDOW_SIZE,
  fitToDisplays,
  loadWindowState,
  parseWindowState,
  saveWindowState,
  trackWindowState,
} from '../../../main/shell/window-state';

const primary = { x: 0, y: 0, width: 1920, height: 1050 };
const right = { x: 1920, y: 0, width: 1280, height: 1024 };

describe('parseWindowState', () => {
  it('accepts a well-formed state', () => {
    expect(parseWindowState({ x: 10, y: 20, width: 800, height: 600, maximized: true })).toEqual({
      x: 10,
      y: 20,
      width: 800,
      height: 600,
      maximized: true,
    });
  });

  it('drops a half position and defaults maximized', () => {
    expect(parseWindowState({ x: 10, width: 800, height: 600 })).toEqual({
      width: 800,
      height: 600,
      maximized: false,
    });
  });

  it.each([
    null,
    'window',
    [],
    {},
    { width: 800 },
    { width: 0, height: 600 },
    { width: -5, height: 600 },
    { width: 800.5, height: 600 },
    { width: 800, height: 600, x: Number.NaN, y: 0 },
    { width: 800, height: 600, x: 1e12, y: 0 },
    { width: '800', height: 600 },
    { width: 800, height: 600, maximized: 'yes' },
  ])('refuses %j', (raw) => {
    expect(parseWindowState(raw)).toBeNull();
  });
});

describe('fitToDisplays', () => {
  it('uses the default size, centred, when nothing was remembered', () => {
    expect(fitToDisplays(null, [primary])).toEqual({ ...DEFAULT_WINDOW_SIZE, maximized: false });
  });

  it('keeps a window that is fully visible exactly where it was', () => {
    const state = { x: 100, y: 80, width: 900, height: 700, maximized: false };
    expect(fitToDisplays(state, [primary, right])).toEqual(state);
  });

  it('keeps a window on the second display', () => {
    const state = { x: 2000, y: 100, width: 900, height: 700, maximized: true };
    expect(fitToDisplays(state, [primary, right])).toEqual(state);
  });

  it('centres a window whose display was unplugged', () => {
    const state = { x: 2000, y: 100, width: 900, height: 700, maximized: false };
    expect(fitToDisplays(state, [primary])).toEqual({ width: 900, height: 700, maximized: false });
  });

  it('pulls a window hanging off the edge back onto the display it overlaps most', () => {
    const state = { x: 1800, y: 900, width: 900, height: 700, maximized: false };
    const fitted = fitToDisplays(state, [primary, right]);
    // Overlaps the right display more (x 1920..2700, y 900..1024) than the primary one.
    expect(fitted).toEqual({ x: 1920, y: 324, width: 900, height: 700, maximized: false });
  });

  it('shrinks a window larger than its display', () => {
    const state = { x: 0, y: 0, width: 4000, height: 3000, maximized: false };
    expect(fitToDisplays(state, [primary])).toEqual({
      x: 0,
      y: 0,
      width: 1920,
      height: 1050,
      maximized: false,
    });
  });

  it('never makes a window smaller than the minimum unless the screen is', () => {
    const tiny = { x: 0, y: 0, width: 400, height: 300 };
    expect(fitToDisplays({ width: 1000, height: 1000, maximized: false }, [tiny])).toEqual({
      width: 400,
      height: 300,
      maximized: false,
    });
  });

  it('stays fully inside some display for any remembered bounds', () => {
    const areas = [primary, right, { x: -1280, y: -200, width: 1280, height: 800 }];
    let seed = 7;
    const random = (span: number) =>
      Math.floor(((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * span);
    for (let i = 0; i < 2000; i++) {
      const state: WindowState = {
        x: random(8000) - 4000,
        y: random(4000) - 2000,
        width: 1 + random(5000),
        height: 1 + random(3000),
        maximized: false,
      };
      const fitted = fitToDisplays(state, areas);
      if (fitted.x === undefined || fitted.y === undefined) continue;
      const inside = areas.some(
        (a) =>
          fitted.x! >= a.x &&
          fitted.y! >= a.y &&
          fitted.x! + fitted.width <= a.x + a.width &&
          fitted.y! + fitted.height <= a.y + a.height,
      );
      expect(inside).toBe(true);
    }
  });
});

describe('window-state.json', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'chronokey-window-'));
  const file = path.join(dir, 'window-state.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through the file, leaving no temp file behind', () => {
    const state = { x: 5, y: 6, width: 700, height: 500, maximized: false };
    saveWindowState(file, state);
    expect(loadWindowState(file)).toEqual(state);
    expect(readdirSync(dir)).toEqual(['window-state.json']);
  });

  it('reads a damaged or missing file as nothing remembered', () => {
    writeFileSync(file, '{"width": 700, "hei');
    expect(loadWindowState(file)).toBeNull();
    expect(loadWindowState(path.join(dir, 'missing.json'))).toBeNull();
  });

  it('does not throw when the folder cannot be written', () => {
    writeFileSync(path.join(dir, 'not-a-folder'), '');
    const impossible = path.join(dir, 'not-a-folder', 'window-state.json');
    expect(() =>
      saveWindowState(impossible, { width: 1, height: 1, maximized: false }),
    ).not.toThrow();
    expect(existsSync(impossible)).toBe(false);
    expect(readFileSync(path.join(dir, 'not-a-folder'), 'utf8')).toBe('');
  });
});

describe('trackWindowState', () => {
  function fakeWindow() {
    const listeners = new Map<string, () => void>();
    return {
      bounds: { x: 1, y: 2, width: 800, height: 600 },
      maximized: false,
      on(event: string, listener: () => void) {
        listeners.set(event, listener);
      },
      emit(event: string) {
        listeners.get(event)!();
      },
      getNormalBounds() {
        return this.bounds;
      },
      isMaximized() {
        return this.maximized;
      },
      isFullScreen: () => false,
    };
  }

  it('saves once, a moment after a burst of moves, and immediately on close', () => {
    vi.useFakeTimers();
    try {
      const window = fakeWindow();
      const save = vi.fn();
      trackWindowState(window, save);
      window.emit('move');
      window.bounds = { x: 50, y: 60, width: 800, height: 600 };
      window.emit('move');
      window.emit('resize');
      expect(save).not.toHaveBeenCalled();
      vi.advanceTimersByTime(500);
      expect(save).toHaveBeenCalledTimes(1);
      expect(save).toHaveBeenLastCalledWith({ ...window.bounds, maximized: false });

      window.maximized = true;
      window.emit('resize');
      window.emit('close');
      expect(save).toHaveBeenCalledTimes(2);
      expect(save).toHaveBeenLastCalledWith({ ...window.bounds, maximized: true });
      vi.advanceTimersByTime(1000);
      expect(save).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
