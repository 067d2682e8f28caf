/**
 * The QR reader's bounds, in one place: docs/import.md states them, the code enforces them.
 */

/** Images larger than this are refused before their pixels are decoded (IMAGE_TOO_LARGE). */
export const MAX_IMAGE_PIXELS = 50_000_000;

/**
 * At most this many codes are read from one picture; past it the search stops and says so
 * (`limitReached`). Far beyond any real picture (a 1,000-account Google Authenticator export
 * is 100 codes, shown one at a time), and low enough that reading them all (about 2 ms each)
 * stays well inside the search deadline.
 */
export const MAX_CODES_PER_PICTURE = 500;

/**
 * A search still running this long after its worker received the picture is stopped (the
 * worker thread is terminated and replaced) and the picture refused as IMAGE_TOO_COMPLEX.
 * A 4K screenshot takes about 0.1 s and a 50-megapixel picture of noise 2–3 s; decoding a
 * 50-megapixel PNG takes up to 0.7 s more, so any picture is answered within 5 s.
 */
export const QR_SEARCH_DEADLINE_MS = 3_500;

/** The smallest QR code (version 1) is 21 modules wide: a narrower picture holds none. */
export const MIN_CODE_SIDE = 21;
