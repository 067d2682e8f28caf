import { describe, expect, it, vi } from 'vitest';
import { createScreenCaptureAdapter } from '../../../main/shell/screen-capture';

vi.mock('electron', () => ({}));

/** A NativeImage double whose bitmap is BGRA, as Electron's is. */
function fakeThumbnail(width: number, height: number, bgraPixel: [number, number, number, number]) {
  const bitmap = Buffer.alloc(width * height * 4);
  for (let i = 0; i < bitmap.length; i += 4) bitmap.set(bgraPixel, i);
  return {
    bitmap,
    isEmpty: () => width === 0,
    getSize: () => ({ width, height }),
    toBitmap: () => bitmap,
  };
}

function fakeElectron(thumbnails: Array<ReturnType<typeof fakeThumbnail>>) {
  const displays = [
    { id: 1, label: 'Built-in Retina Display', size: { width: 1440, height: 900 }, scaleFactor: 2 },
    { id: 2, label: '', size: { width: 1920, height: 1080 }, scaleFactor: 1 },
  ];
  const getSources = vi.fn(async () =>
    thumbnails.map((thumbnail, index) => ({
      id: `screen:${index}:0`,
      name: `Screen ${index + 1}`,
      display_id: String(displays[index]?.id ?? ''),
      thumbnail,
    })),
  );
  return {
    getSources,
    electron: {
      desktopCapturer: { getSources } as never,
      screen: { getAllDisplays: () => displays } as never,
    },
  };
}

describe('screen capture adapter', () => {
  it('asks for every screen at full device resolution and returns RGBA pictures named by display', async () => {
    const retina = fakeThumbnail(2880, 1800, [10, 20, 30, 255]);
    const plain = fakeThumbnail(1920, 1080, [1, 2, 3, 255]);
    const { electron, getSources } = fakeElectron([retina, plain]);
    const displays = await createScreenCaptureAdapter(electron).captureDisplays();
    expect(getSources).toHaveBeenCalledWith({
      types: ['screen'],
      thumbnailSize: { width: 2880, height: 1800 },
    });
    expect(displays.map(({ name, width, height }) => ({ name, width, height }))).toEqual([
      { name: 'Display 1 (Built-in Retina Display)', width: 2880, height: 1800 },
      { name: 'Display 2', width: 1920, height: 1080 },
    ]);
    expect([...displays[0]!.rgba.subarray(0, 8)]).toEqual([30, 20, 10, 255, 30, 20, 10, 255]);
    expect([...displays[1]!.rgba.subarray(-4)]).toEqual([3, 2, 1, 255]);
    expect(displays[0]!.rgba.length).toBe(2880 * 1800 * 4);
    // the BGRA copy handed out by Electron is wiped once converted
    expect(retina.bitmap.every((byte) => byte === 0)).toBe(true);
  });

  it('says how to allow screen recording when every capture comes back empty', async () => {
    const { electron } = fakeElectron([fakeThumbnail(0, 0, [0, 0, 0, 0])]);
    await expect(createScreenCaptureAdapter(electron).captureDisplays()).rejects.toMatchObject({
      code: 'SCREEN_CAPTURE_FAILED',
      message: expect.stringMatching(/Screen Recording/),
    });
  });
});
