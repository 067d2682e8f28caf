/**
 * Brand icons from Simple Icons (CC0), matched by issuer. The set is large (~3,000 icons), so
 * it loads lazily in its own chunk after the list is on screen; until then rows show monograms.
 */
export interface BrandIcon {
  title: string;
  path: string;
  /** Brand colour, "#rrggbb". */
  hex: string;
  /** Glyph colour that reads on the brand colour. */
  foreground: '#ffffff' | '#111111';
}

type Listener = () => void;

let index: Map<string, BrandIcon> | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<Listener>();

/** Lower case, letters and digits only: "Amazon Web Services" → "amazonwebservices". */
export function brandKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLocaleLowerCase()
    .replace(/\+/g, 'plus')
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]/g, '');
}

/** The keys an issuer may match, most specific first: full name, before "(" or ":", first word. */
export function candidateKeys(issuer: string): string[] {
  const keys = [brandKey(issuer)];
  const head = issuer.split(/[(:|,–-]/)[0] ?? '';
  keys.push(brandKey(head));
  const firstWord = issuer.trim().split(/\s+/)[0] ?? '';
  if (firstWord.length >= 3) keys.push(brandKey(firstWord));
  const domain = /^([a-z0-9-]+)\.[a-z.]{2,}$/i.exec(issuer.trim());
  if (domain?.[1]) keys.push(brandKey(domain[1]));
  return [...new Set(keys.filter((key) => key.length >= 2))];
}

/** Relative luminance per WCAG, for choosing a glyph colour with enough contrast. */
export function luminance(hex: string): number {
  const channel = (start: number) => {
    const value = parseInt(hex.slice(start, start + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** White glyphs wherever they keep the 3:1 contrast graphics need (they look most like the brand). */
export function foregroundFor(hex: string): BrandIcon['foreground'] {
  const onWhite = 1.05 / (luminance(hex) + 0.05);
  return onWhite >= 3 ? '#ffffff' : '#111111';
}

export function findBrandIcon(issuer: string): BrandIcon | null {
  if (!index || issuer.trim() === '') return null;
  for (const key of candidateKeys(issuer)) {
    const icon = index.get(key);
    if (icon) return icon;
  }
  return null;
}

export function brandIconsReady(): boolean {
  return index !== null;
}

export function onBrandIconsLoaded(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function loadBrandIcons(): Promise<void> {
  loading ??= import('simple-icons')
    .then((module) => {
      const map = new Map<string, BrandIcon>();
      for (const value of Object.values(module)) {
        if (!isSimpleIcon(value)) continue;
        const hex = `#${value.hex.toLowerCase()}`;
        const icon: BrandIcon = {
          title: value.title,
          path: value.path,
          hex,
          foreground: foregroundFor(hex),
        };
        for (const key of [brandKey(value.title), value.slug])
          if (!map.has(key)) map.set(key, icon);
      }
      index = map;
      for (const listener of listeners) listener();
    })
    .catch(() => {
      // Without the icon set, every account keeps its monogram; nothing else depends on it.
      index = new Map();
    });
  return loading;
}

function isSimpleIcon(
  value: unknown,
): value is { title: string; slug: string; hex: string; path: string } {
  if (typeof value !== 'object' || value === null) return false;
  const icon = value as Record<string, unknown>;
  return (
    typeof icon.title === 'string' &&
    typeof icon.slug === 'string' &&
    typeof icon.path === 'string' &&
    typeof icon.hex === 'string' &&
    /^[0-9a-f]{6}$/i.test(icon.hex)
  );
}
