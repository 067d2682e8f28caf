import type { DesktopCapturer, Display, NativeImage, Screen } from 'electron';
import { ChronokeyError } from '../../shared/errors';
import type { CapturedDisplay, ScreenCapturePort } from '../core/qr/screen-capture-port';

/**
 * The core's screen-capture port over Electron's desktopCapturer: one picture of every display
 * at its full device resolution, as RGBA in memory. Nothing is written to disk or sent anywhere;
 * the caller drops the pixels once the QR search is done.
 */
export function createScreenCaptureAdapter(electron: {
  desktopCapturer: Pick<DesktopCapturer, 'getSources'>;
  screen: Pick<Screen, 'getAllDisplays'>;
}): ScreenCapturePort {
  return {
    async captureDisplays() {
      const displays = electron.screen.getAllDisplays();
      // One bound for all sources: the largest display in device pixels (thumbnails keep their
      // aspect ratio inside it, so each display comes back at its own full resolution).
      const thumbnailSize = {
        width: Math.max(1, ...displays.map((d) => Math.round(d.size.width * d.scaleFactor))),
        height: Math.max(1, ...displays.map((d) => Math.round(d.size.height * d.scaleFactor))),
      };
      const sources = await electron.desktopCapturer.getSources({
        types: ['screen'],
        thumbnailSize,
      });
      const captured: CapturedDisplay[] = [];
      sources.forEach((source, index) => {
        if (source.thumbnail.isEmpty()) return;
        const display = displays.find((d) => String(d.id) === source.display_id);
        captured.push(toRgba(displayName(display, index), source.thumbnail));
      });
      if (captured.length === 0) {
        throw new ChronokeyError(
          'SCREEN_CAPTURE_FAILED',
          'Chronokey could not capture the screen. On macOS, allow Chronokey under System Settings › Privacy & Security › Screen Recording, then try again; or save a screenshot and open it.',
        );
      }
      return captured;
    },
  };
}

function displayName(display: Display | undefined, index: number): string {
  const label = display?.label?.trim();
  return label ? `Display ${index + 1} (${label})` : `Display ${index + 1}`;
}

/** NativeImage's bitmap is BGRA on Windows, macOS and Linux (Skia's native order): swap to RGBA. */
function toRgba(name: string, image: NativeImage): CapturedDisplay {
  const { width, height } = image.getSize();
  const bgra = image.toBitmap();
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i + 3 < rgba.length && i + 3 < bgra.length; i += 4) {
    rgba[i] = bgra[i + 2]!;
    rgba[i + 1] = bgra[i + 1]!;
    rgba[i + 2] = bgra[i]!;
    rgba[i + 3] = bgra[i + 3]!;
  }
  bgra.fill(0); // the only other copy of the screen's pixels
  return { name, width, height, rgba };
}
