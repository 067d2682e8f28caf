import { memo, useSyncExternalStore } from 'react';
import { brandIconsReady, findBrandIcon, onBrandIconsLoaded } from '../lib/brand-icons';
import { hashText, monogram } from '../lib/format';

/** Monogram backgrounds, each with at least 4.5:1 contrast against white text. */
const MONOGRAM_COLOURS = [
  '#2f5fc4',
  '#7340b8',
  '#a3245c',
  '#0c7259',
  '#8a4a00',
  '#3d4fb0',
  '#00707a',
  '#b3261e',
];

export const AccountIcon = memo(function AccountIcon({
  issuer,
  account,
}: {
  issuer: string;
  account: string;
}) {
  const ready = useSyncExternalStore(onBrandIconsLoaded, brandIconsReady);
  const brand = ready ? findBrandIcon(issuer) : null;
  if (brand) {
    return (
      <span className="account-icon brand-icon" data-brand={brand.hex} aria-hidden="true">
        <svg viewBox="0 0 24 24" width="40" height="40" focusable="false">
          <rect className="brand-tile" width="24" height="24" fill={brand.hex} />
          <path d={brand.path} fill={brand.foreground} transform="translate(4.8 4.8) scale(0.6)" />
        </svg>
      </span>
    );
  }
  const colour =
    MONOGRAM_COLOURS[hashText((issuer || account).toLowerCase()) % MONOGRAM_COLOURS.length];
  return (
    <span className="account-icon monogram" aria-hidden="true">
      <svg viewBox="0 0 40 40" width="40" height="40" focusable="false">
        <rect width="40" height="40" fill={colour} />
        <text x="20" y="20" dy="0.35em" textAnchor="middle" className="monogram-letter">
          {monogram(issuer, account)}
        </text>
      </svg>
    </span>
  );
});
