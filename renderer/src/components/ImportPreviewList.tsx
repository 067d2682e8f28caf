import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useRef } from 'react';
import type { ImportItem } from '../../../shared/contract';
import { accountLabel } from '../lib/format';

/** Short badge text per mark code; the core's sentence is shown beside it. */
const MARK_LABELS: Record<string, string> = {
  DUPLICATE: 'Already added',
  ISSUER_MISMATCH: 'Issuer differs',
  SHORT_SECRET: 'Short secret',
  UNUSUAL_DIGITS: 'Unusual digits',
  UNUSUAL_PERIOD: 'Unusual period',
  DEFAULTED: 'Filled in',
  SECRET_SHARED: 'Shared secret',
};

export function markLabel(code: string): string {
  const known = MARK_LABELS[code];
  if (known) return known;
  const words = code.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "TOTP · SHA1 · 6 digits · every 30 s", the parameters the user may want to check. */
export function itemDetails(item: ImportItem): string {
  if (item.type === 'steam') return `Steam · 5 characters · every ${item.period} s`;
  const parts = [item.type.toUpperCase(), item.algorithm, `${item.digits} digits`];
  parts.push(item.type === 'hotp' ? `counter ${item.counter}` : `every ${item.period} s`);
  return parts.join(' · ');
}

export function itemLabel(item: ImportItem): string {
  return accountLabel(item.issuer, item.account) || 'Unnamed account';
}

/** Up to this many rows are simply rendered; longer previews are virtualised. */
const PLAIN_LIMIT = 150;
const ESTIMATED_ROW = 64;

interface ImportPreviewListProps {
  items: readonly ImportItem[];
  selected: ReadonlySet<string>;
  onToggle: (key: string, on: boolean) => void;
  /** Name each row's source when the preview mixes several inputs. */
  showSource: boolean;
}

/**
 * Every account an import found, with a checkbox each. Long previews (hundreds of accounts
 * from a backup) keep only the rows in view (plus a few) in the DOM.
 */
export function ImportPreviewList({
  items,
  selected,
  onToggle,
  showSource,
}: ImportPreviewListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = items.length > PLAIN_LIMIT;
  const virtualizer = useVirtualizer({
    count: virtual ? items.length : 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW,
    overscan: 6,
    getItemKey: (index) => items[index]?.key ?? index,
  });

  const rows = virtual
    ? virtualizer.getVirtualItems().map((row) => ({ index: row.index, start: row.start }))
    : items.map((_, index) => ({ index, start: 0 }));

  return (
    <div
      ref={scroller}
      className={`import-list-scroller${virtual ? ' is-virtual' : ''}`}
      // Keyboard users can scroll a long list even between checkboxes.
      tabIndex={virtual ? 0 : undefined}
      aria-label={virtual ? 'Accounts found, scrollable' : undefined}
      role={virtual ? 'region' : undefined}
    >
      <ul
        className="import-list"
        aria-label="Accounts found"
        style={virtual ? { height: virtualizer.getTotalSize() } : undefined}
      >
        {rows.map(({ index, start }) => {
          const item = items[index];
          if (!item) return null;
          return (
            <ImportRow
              key={item.key}
              item={item}
              index={index}
              count={items.length}
              checked={selected.has(item.key)}
              onToggle={onToggle}
              showSource={showSource}
              measure={virtual ? virtualizer.measureElement : undefined}
              top={virtual ? start : undefined}
            />
          );
        })}
      </ul>
    </div>
  );
}

interface ImportRowProps {
  item: ImportItem;
  index: number;
  count: number;
  checked: boolean;
  onToggle: (key: string, on: boolean) => void;
  showSource: boolean;
  measure: ((element: Element | null) => void) | undefined;
  top: number | undefined;
}

function ImportRow({
  item,
  index,
  count,
  checked,
  onToggle,
  showSource,
  measure,
  top,
}: ImportRowProps) {
  const id = useId();
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    measure?.(ref.current);
  }, [measure, item]);
  const name = itemLabel(item);
  const duplicate = item.marks.some((mark) => mark.code === 'DUPLICATE');

  return (
    <li
      ref={ref}
      data-index={index}
      aria-setsize={count}
      aria-posinset={index + 1}
      className={`import-row${checked ? ' is-checked' : ''}`}
      style={top === undefined ? undefined : { position: 'absolute', top, left: 0, right: 0 }}
    >
      <input
        type="checkbox"
        id={`${id}-check`}
        checked={checked}
        onChange={(event) => onToggle(item.key, event.target.checked)}
        aria-describedby={`${id}-details${item.marks.length > 0 ? ` ${id}-marks` : ''}`}
      />
      <label htmlFor={`${id}-check`} className="import-row-main">
        <span className="visually-hidden">Import </span>
        <span className="import-row-issuer">{item.issuer || item.account || name}</span>
        {item.issuer && item.account && <span className="import-row-account"> {item.account}</span>}
      </label>
      <span className="import-row-details" id={`${id}-details`}>
        {itemDetails(item)}
        {showSource && <span className="import-row-source"> · from {item.source}</span>}
      </span>
      {item.marks.length > 0 && (
        <ul className="import-marks" id={`${id}-marks`} aria-label={`Notes on ${name}`}>
          {item.marks.map((mark, markIndex) => (
            <li key={`${mark.code}-${markIndex}`} className="import-mark">
              <span
                className={`badge${duplicate && mark.code === 'DUPLICATE' ? ' badge-strong' : ''}${
                  mark.code === 'SHORT_SECRET' ? ' badge-warn' : ''
                }`}
              >
                {markLabel(mark.code)}
              </span>{' '}
              <span className="import-mark-message">{mark.message}</span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
