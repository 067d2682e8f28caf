import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import {
  TRAY_FAVOURITES_MAX,
  buildTrayMenuTemplate,
  createAppTray,
  favouriteLabel,
  trayImage,
} from '../../../main/shell/tray';
import { TRAY_COLOUR, TRAY_TEMPLATE } from '../../../main/shell/tray-icon-images';

const commands = () => ({ search: vi.fn(), copy: vi.fn(), lock: vi.fn(), quit: vi.fn() });
const labels = (items: MenuItemConstructorOptions[]) => items.map((item) => item.label ?? '—');

describe('tray menu', () => {
  it('offers search, lock and quit while locked, and no accounts', () => {
    const template = buildTrayMenuTemplate({ unlocked: false, favourites: [] }, commands());
    expect(labels(template)).toEqual([
      'Search…',
      '—',
      'Locked: open Chronokey to unlock',
      '—',
      'Lock',
      'Quit Chronokey',
    ]);
    expect(template.find((item) => item.label === 'Lock')?.enabled).toBe(false);
  });

  it('lists favourites for one-click copy when unlocked, never their codes', () => {
    const wired = commands();
    const favourites = Array.from({ length: 20 }, (_, i) => ({ id: `id${i}`, label: `Site ${i}` }));
    const template = buildTrayMenuTemplate({ unlocked: true, favourites }, wired);
    const copyItems = template.filter((item) => item.label?.startsWith('Site '));
    expect(copyItems).toHaveLength(TRAY_FAVOURITES_MAX);
    copyItems[3]!.click!({} as never, undefined, {} as never);
    expect(wired.copy).toHaveBeenCalledWith('id3');
    template[0]!.click!({} as never, undefined, {} as never);
    expect(wired.search).toHaveBeenCalled();
    template.find((item) => item.label === 'Lock')!.click!({} as never, undefined, {} as never);
    expect(wired.lock).toHaveBeenCalled();
    expect(JSON.stringify(template)).not.toMatch(/\d{6}/);
    const none = buildTrayMenuTemplate({ unlocked: true, favourites: [] }, wired);
    expect(labels(none)).toContain('Star accounts to copy their codes from here');
  });

  it('labels favourites readably and safely', () => {
    expect(favouriteLabel('GitHub', 'me@example.com')).toBe('GitHub (me@example.com)');
    expect(favouriteLabel('', 'me')).toBe('me');
    expect(favouriteLabel('', '')).toBe('Unnamed');
    expect(favouriteLabel('AT&T', '')).toBe('AT&&T');
    expect(favouriteLabel('x'.repeat(100), '')).toHaveLength(48);
  });

  it('uses a template image in the macOS menu bar and the colour icon elsewhere', () => {
    const image = { addRepresentation: vi.fn(), setTemplateImage: vi.fn() };
    const nativeImage = { createFromDataURL: vi.fn(() => image as never) };
    trayImage({ nativeImage, platform: 'darwin' });
    expect(nativeImage.createFromDataURL).toHaveBeenLastCalledWith(TRAY_TEMPLATE.x1);
    expect(image.addRepresentation).toHaveBeenLastCalledWith({
      scaleFactor: 2,
      dataURL: TRAY_TEMPLATE.x2,
    });
    expect(image.setTemplateImage).toHaveBeenCalledWith(true);
    image.setTemplateImage.mockClear();
    trayImage({ nativeImage, platform: 'win32' });
    expect(nativeImage.createFromDataURL).toHaveBeenLastCalledWith(TRAY_COLOUR.x1);
    expect(image.setTemplateImage).not.toHaveBeenCalled();
  });

  it('creates the tray with its menu and updates it', () => {
    const menus: unknown[] = [];
    const listeners = new Map<string, () => void>();
    class Tray {
      setToolTip = vi.fn();
      setContextMenu = (menu: unknown) => menus.push(menu);
      on = (name: string, listener: () => void) => listeners.set(name, listener);
      destroy = vi.fn();
    }
    const wired = commands();
    const tray = createAppTray({
      Tray: Tray as never,
      Menu: { buildFromTemplate: (template) => ({ template }) as never },
      nativeImage: {
        createFromDataURL: () =>
          ({ addRepresentation: vi.fn(), setTemplateImage: vi.fn() }) as never,
      },
      platform: 'win32',
      commands: wired,
    });
    expect(menus).toHaveLength(1);
    tray.update({ unlocked: true, favourites: [{ id: 'a', label: 'A' }] });
    expect(labels((menus[1] as { template: MenuItemConstructorOptions[] }).template)).toContain(
      'A',
    );
    listeners.get('click')!();
    expect(wired.search).toHaveBeenCalled();
  });
});
