import { describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_GLOBAL_SHORTCUT,
  acceleratorFromKeyPress,
  formatAccelerator,
  isGlobalAccelerator,
} from '../../../shared/accelerator';
import { Settings, StoredSettings } from '../../../shared/domain';
import { createGlobalShortcut } from '../../../main/shell/global-shortcut';

const press = (
  code: string,
  mods: Partial<Record<'ctrl' | 'meta' | 'alt' | 'shift', boolean>>,
) => ({
  key: '',
  code,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  altKey: !!mods.alt,
  shiftKey: !!mods.shift,
});

describe('accelerators', () => {
  it('accepts shortcuts with a real modifier and one key', () => {
    for (const good of [
      DEFAULT_GLOBAL_SHORTCUT,
      'Alt+Shift+J',
      'Control+Alt+F5',
      'Super+Space',
      'CmdOrCtrl+Plus',
      'Command+Option+/',
    ]) {
      expect(isGlobalAccelerator(good), good).toBe(true);
    }
    for (const bad of [
      'K',
      'Shift+K',
      'CmdOrCtrl+',
      'CmdOrCtrl+Shift',
      'Ctrl+Ctrl+K',
      'Hyper+K',
      'Ctrl+KK',
      '',
    ]) {
      expect(isGlobalAccelerator(bad), bad).toBe(false);
    }
  });

  it('records a key press the same way on every system', () => {
    expect(acceleratorFromKeyPress(press('KeyK', { ctrl: true, shift: true }), false)).toBe(
      'CmdOrCtrl+Shift+K',
    );
    expect(acceleratorFromKeyPress(press('KeyK', { meta: true, shift: true }), true)).toBe(
      'CmdOrCtrl+Shift+K',
    );
    expect(acceleratorFromKeyPress(press('Digit7', { alt: true }), false)).toBe('Alt+7');
    expect(acceleratorFromKeyPress(press('F9', { ctrl: true, meta: true }), false)).toBe(
      'CmdOrCtrl+Super+F9',
    );
    expect(acceleratorFromKeyPress(press('ShiftLeft', { shift: true }), false)).toBeNull();
    expect(acceleratorFromKeyPress(press('KeyK', {}), false)).toBeNull();
    expect(acceleratorFromKeyPress(press('KeyK', { shift: true }), false)).toBeNull();
  });

  it('reads naturally on each system', () => {
    expect(formatAccelerator('CmdOrCtrl+Shift+K', true)).toBe('⌘⇧K');
    expect(formatAccelerator('CmdOrCtrl+Shift+K', false)).toBe('Ctrl+Shift+K');
    expect(formatAccelerator('Alt+Space', true)).toBe('⌥Space');
  });

  it('is checked in settings, and vaults written before these settings get the defaults', () => {
    expect(Settings.shape.globalShortcut.safeParse('Shift+K').success).toBe(false);
    expect(Settings.shape.globalShortcut.safeParse('').success).toBe(true);
    const old = StoredSettings.parse({
      autoLockMinutes: 5,
      clipboardClearSeconds: 30,
      theme: 'system',
      privacyMode: false,
      showNextCode: true,
      sortOrder: 'manual',
    });
    expect(old).toMatchObject({
      launchAtLogin: false,
      contentProtection: true,
      globalShortcut: DEFAULT_GLOBAL_SHORTCUT,
    });
    // A partial update names only what changes: no default sneaks in to reset the rest.
    expect(Settings.partial().parse({ theme: 'dark' })).toEqual({ theme: 'dark' });
  });
});

describe('createGlobalShortcut', () => {
  it('registers, swaps and releases the one shortcut', () => {
    const globalShortcut = { register: vi.fn(() => true), unregister: vi.fn() };
    const onPress = vi.fn();
    const shortcut = createGlobalShortcut(globalShortcut, onPress);
    expect(shortcut.set('CmdOrCtrl+Shift+K')).toBe(true);
    expect(shortcut.active).toBe(true);
    (globalShortcut.register.mock.calls[0] as unknown as [string, () => void])[1]();
    expect(onPress).toHaveBeenCalled();
    expect(shortcut.set('CmdOrCtrl+Shift+K')).toBe(true);
    expect(globalShortcut.register).toHaveBeenCalledTimes(1);
    shortcut.set('Alt+Shift+J');
    expect(globalShortcut.unregister).toHaveBeenCalledWith('CmdOrCtrl+Shift+K');
    shortcut.set('');
    expect(globalShortcut.unregister).toHaveBeenLastCalledWith('Alt+Shift+J');
    expect(shortcut.active).toBe(false);
  });

  it('reports a shortcut another app holds (or Electron refuses) as not active', () => {
    const taken = createGlobalShortcut({ register: () => false, unregister: vi.fn() }, vi.fn());
    expect(taken.set('CmdOrCtrl+Shift+K')).toBe(false);
    expect(taken.active).toBe(false);
    const throwing = createGlobalShortcut(
      {
        register: () => {
          throw new Error('bad accelerator');
        },
        unregister: vi.fn(),
      },
      vi.fn(),
    );
    expect(throwing.set('CmdOrCtrl+Shift+K')).toBe(false);
    const register = vi.fn(() => true);
    expect(createGlobalShortcut({ register, unregister: vi.fn() }, vi.fn()).set('Shift+K')).toBe(
      false,
    );
    expect(register).not.toHaveBeenCalled();
  });
});
