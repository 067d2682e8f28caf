import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Where and how big the window was, kept in userData/window-state.json between runs. */
export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WINDOW_SIZE = { width: 960, height: 680 } as const;
export const MIN_WINDOW_SIZE = { width: 480, height: 420 } as const;

const Coordinate = z.number().int().min(-100_000).max(100_000);
const Length = z.number().int().min(1).max(100_000);
const StoredState = z.object({
  x: Coordinate.optional(),
  y: Coordinate.optional(),
  width: Length,
  height: Length,
  maximized: z.boolean().default(false),
});

/** A state read back from disk, or null when the file is missing, damaged or odd. */
export function parseWindowState(raw: unknown): WindowState | null {
  const parsed = StoredState.safeParse(raw);
  if (!parsed.success) return null;
  const { x, y, width, height, maximized } = parsed.data;
  // A position is only useful whole.
  const position = x !== undefined && y !== undefined ? { x, y } : {};
  return { ...position, width, height, maximized };
}

function overlap(a: Rectangle, b: Rectangle): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

/**
 * Fits a remembered state to the displays there are now (their work areas, primary first):
 * a window on a display that was unplugged, or larger than the screen, comes back whole on
 * the display it overlaps most, or centred (no position) on the primary one.
 */
export function fitToDisplays(state: WindowState | null, workAreas: Rectangle[]): WindowState {
  const primary = workAreas[0];
  const wanted = state ?? { ...DEFAULT_WINDOW_SIZE, maximized: false };
  if (!primary) return wanted;

  let target = primary;
  let best = 0;
  if (wanted.x !== undefined && wanted.y !== undefined) {
    const bounds = { x: wanted.x, y: wanted.y, width: wanted.width, height: wanted.height };
    for (const area of workAreas) {
      const shared = overlap(bounds, area);
      if (shared > best) [best, target] = [shared, area];
    }
  }
  const width = clamp(wanted.width, Math.min(MIN_WINDOW_SIZE.width, target.width), target.width);
  const height = clamp(
    wanted.height,
    Math.min(MIN_WINDOW_SIZE.height, target.height),
    target.height,
  );
  if (best === 0 || wanted.x === undefined || wanted.y === undefined) {
    return { width, height, maximized: wanted.maximized };
  }
  return {
    x: clamp(wanted.x, target.x, target.x + target.width - width),
    y: clamp(wanted.y, target.y, target.y + target.height - height),
    width,
    height,
    maximized: wanted.maximized,
  };
}

export function loadWindowState(file: string): WindowState | null {
  try {
    return parseWindowState(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

/**
 * Writes the state whole or not at all (temp file, then rename), synchronously: it runs as
 * the window closes, when an unfinished asynchronous write could be cut off by the quit.
 */
export function saveWindowState(file: string, state: WindowState): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // Remembering the window is a convenience: never let it stop the app from closing.
    try {
      rmSync(temp, { force: true });
    } catch {
      // The folder itself is unusable, so there is no temp file to remove either.
    }
  }
}

/** What the tracker needs of a BrowserWindow. */
export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'close', listener: () => void): unknown;
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  isFullScreen(): boolean;
}

/** Saves the window's normal bounds a moment after it moves or resizes, and as it closes. */
export function trackWindowState(
  window: TrackedWindow,
  save: (state: WindowState) => void,
  timers: {
    setTimeout(callback: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
  } = {
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  },
  delayMs = 500,
): void {
  let pending: unknown = null;
  const snapshot = (): WindowState => ({
    ...window.getNormalBounds(),
    maximized: window.isMaximized() || window.isFullScreen(),
  });
  const later = () => {
    if (pending !== null) timers.clearTimeout(pending);
    pending = timers.setTimeout(() => {
      pending = null;
      save(snapshot());
    }, delayMs);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('close', () => {
    if (pending !== null) timers.clearTimeout(pending);
    pending = null;
    save(snapshot());
  });
}
