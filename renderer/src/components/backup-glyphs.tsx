/** Glyphs for backup and transfer, drawn like glyphs.tsx's (24-unit grid, 1.75 stroke). */
import type { ReactNode } from 'react';

function Glyph({ children }: { children: ReactNode }) {
  return (
    <svg
      className="glyph"
      width={18}
      height={18}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.75"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const QrGlyph = () => (
  <Glyph>
    <rect x="4" y="4" width="6" height="6" rx="1" />
    <rect x="14" y="4" width="6" height="6" rx="1" />
    <rect x="4" y="14" width="6" height="6" rx="1" />
    <path d="M14 14h2v2h-2zM18 18h2v2h-2zM14 20h2M20 14v2" />
  </Glyph>
);

/** A box with an arrow going into it: backups. */
export const BackupGlyph = () => (
  <Glyph>
    <path d="M4 8h16v10a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V8Z" />
    <path d="M3 4h18v4H3zM10 12h4" />
  </Glyph>
);
