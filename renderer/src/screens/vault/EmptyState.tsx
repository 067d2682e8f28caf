import { ImportGlyph, PlusGlyph, ScanGlyph } from '../../components/glyphs';

/** No accounts yet: every way to bring one in, not only typing it. */
export function EmptyState({
  onAdd,
  onScan,
  onImport,
}: {
  onAdd: () => void;
  onScan: () => void;
  onImport: () => void;
}) {
  return (
    <section className="empty-state" aria-labelledby="empty-title">
      <div className="empty-art" aria-hidden="true">
        <span className="empty-code">123 456</span>
      </div>
      <h1 id="empty-title" className="empty-title">
        No accounts yet
      </h1>
      <p className="empty-text">
        When a site offers two-step sign-in with an “authenticator app”, it shows a QR code. Show it
        on screen and scan it here, or add it by its link or secret key. Moving from another app?
        Import its export or backup.
      </p>
      <div className="empty-actions">
        <button type="button" className="button button-primary" onClick={onScan}>
          <ScanGlyph />
          Scan a QR code on screen
        </button>
        <button type="button" className="button" onClick={onImport}>
          <ImportGlyph />
          Import from another app
        </button>
        <button type="button" className="button" onClick={onAdd}>
          <PlusGlyph />
          Enter a key or link
        </button>
      </div>
    </section>
  );
}
