import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { ACCELERATORS, buildMenuTemplate } from '../../../main/shell/menu';

vi.mock('electron', () => ({}));

function build(platform: NodeJS.Platform, isPackaged = true) {
  const commands = { lock: vi.fn(), find: vi.fn(), addAccount: vi.fn(), openSettings: vi.fn() };
  const template = buildMenuTemplate({ platform, isPackaged, appName: 'Chronokey', commands });
  return { template, commands };
}

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? flatten(item.submenu as MenuItemConstructorOptions[]) : []),
  ]);
}

const labels = (items: MenuItemConstructorOptions[]) => items.map((item) => item.label);

describe('native menu', () => {
  it('follows macOS conventions: an app menu first, then File, Edit, View, Window, Help', () => {
    const { template } = build('darwin');
    expect(labels(template)).toEqual(['Chronokey', 'File', 'Edit', 'View', 'Window', 'Help']);
    const appMenu = flatten([template[0]!]);
    expect(appMenu.map((item) => item.role)).toEqual(
      expect.arrayContaining(['about', 'hide', 'hideOthers', 'unhide', 'quit', 'services']),
    );
    expect(appMenu.some((item) => item.accelerator === ACCELERATORS.openSettings)).toBe(true);
  });

  it('puts Settings and Quit in File elsewhere, with Alt mnemonics', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const { template } = build(platform);
      expect(labels(template)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
      const file = flatten([template[0]!]);
      expect(file.map((item) => item.role)).toContain('quit');
      expect(file.some((item) => item.accelerator === ACCELERATORS.openSettings)).toBe(true);
    }
  });

  it.each(['darwin', 'win32', 'linux'] as const)(
    'has Edit roles and the app shortcuts wired to their commands on %s',
    (platform) => {
      const { template, commands } = build(platform);
      const items = flatten(template);
      const roles = items.map((item) => item.role);
      for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'] as const) {
        expect(roles).toContain(role);
      }
      const byAccelerator = (accelerator: string) => {
        const found = items.filter((item) => item.accelerator === accelerator);
        expect(found).toHaveLength(1);
        return found[0]!;
      };
      (byAccelerator('CmdOrCtrl+L').click as () => void)();
      expect(commands.lock).toHaveBeenCalledTimes(1);
      (byAccelerator('CmdOrCtrl+F').click as () => void)();
      expect(commands.find).toHaveBeenCalledTimes(1);
      (byAccelerator('CmdOrCtrl+N').click as () => void)();
      expect(commands.addAccount).toHaveBeenCalledTimes(1);
      (byAccelerator('CmdOrCtrl+,').click as () => void)();
      expect(commands.openSettings).toHaveBeenCalledTimes(1);
    },
  );

  it('offers DevTools and reload only when not packaged', () => {
    const packaged = flatten(build('linux', true).template).map((item) => item.role);
    expect(packaged).not.toContain('toggleDevTools');
    expect(packaged).not.toContain('reload');
    expect(packaged).not.toContain('forceReload');
    const dev = flatten(build('linux', false).template).map((item) => item.role);
    expect(dev).toEqual(expect.arrayContaining(['toggleDevTools', 'reload']));
  });
});
