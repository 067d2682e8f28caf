/** One display's picture, in memory only. */
export interface CapturedDisplay {
  /** How the user knows it, e.g. "Display 1" or the display's label. */
  name: string;
  width: number;
  height: number;
  /** width × height × 4 bytes, red, green, blue, alpha. */
  rgba: Uint8Array;
}

/**
 * Captures every display for a screen scan (Electron's desktopCapturer in the shell; a test
 * double in the browser bridge and unit tests). The pictures stay in memory: nothing captured is
 * written to disk or sent anywhere.
 */
export interface ScreenCapturePort {
  captureDisplays(): Promise<CapturedDisplay[]>;
}
