import { memo } from 'react';
import type { DragEvent, KeyboardEvent, MouseEvent } from 'react';
import type { ListEntry } from '../lib/account-list';
import type { CodeStore } from '../lib/code-store';
import { AccountIcon } from './AccountIcon';
import { QrGlyph } from './backup-glyphs';
import { CodeDisplay } from './CodeDisplay';
import {
  CopyGlyph,
  DownGlyph,
  EditGlyph,
  GripGlyph,
  NextGlyph,
  StarGlyph,
  TrashGlyph,
  UpGlyph,
} from './glyphs';

/** What a row can ask the list to do; one stable object shared by every row. */
export interface RowActions {
  copy(entry: ListEntry): void;
  hotpNext(entry: ListEntry): void;
  toggleFavourite(entry: ListEntry): void;
  edit(entry: ListEntry): void;
  remove(entry: ListEntry): void;
  showQr(entry: ListEntry): void;
  move(entry: ListEntry, direction: 'up' | 'down', via: 'button' | 'row'): void;
  rowKeyDown(entry: ListEntry, index: number, event: KeyboardEvent<HTMLDivElement>): void;
  dragStart(entry: ListEntry, event: DragEvent<HTMLDivElement>): void;
  dragOver(entry: ListEntry, event: DragEvent<HTMLDivElement>): void;
  drop(entry: ListEntry, event: DragEvent<HTMLDivElement>): void;
  dragEnd(): void;
  activate(entry: ListEntry): void;
}

interface AccountRowProps {
  entry: ListEntry;
  index: number;
  count: number;
  top: number;
  height: number;
  store: CodeStore;
  actions: RowActions;
  showNext: boolean;
  manual: boolean;
  canUp: boolean;
  canDown: boolean;
  dropMark: 'before' | 'after' | null;
  dragging: boolean;
  /** The one row in the Tab order (roving focus); arrow keys move between rows. */
  active: boolean;
}

export const AccountRow = memo(function AccountRow({
  entry,
  index,
  count,
  top,
  height,
  store,
  actions,
  showNext,
  manual,
  canUp,
  canDown,
  dropMark,
  dragging,
  active,
}: AccountRowProps) {
  const tab = active ? 0 : -1;
  const { view, label } = entry;
  const hotp = view.type === 'hotp';

  function onRowClick(event: MouseEvent<HTMLDivElement>) {
    // Buttons inside the row do their own thing; a click anywhere else copies.
    if ((event.target as HTMLElement).closest('button')) return;
    actions.copy(entry);
  }

  const classes = ['account-row'];
  if (dropMark) classes.push(`drop-${dropMark}`);
  if (dragging) classes.push('is-dragging');
  if (view.favourite) classes.push('is-favourite');

  return (
    <div
      role="listitem"
      aria-label={label}
      aria-setsize={count}
      aria-posinset={index + 1}
      tabIndex={tab}
      data-row-id={view.id}
      data-row-index={index}
      className={classes.join(' ')}
      style={{ transform: `translateY(${top}px)`, height }}
      onClick={onRowClick}
      onKeyDown={(event) => actions.rowKeyDown(entry, index, event)}
      onFocus={() => actions.activate(entry)}
      draggable={manual}
      onDragStart={manual ? (event) => actions.dragStart(entry, event) : undefined}
      onDragOver={manual ? (event) => actions.dragOver(entry, event) : undefined}
      onDrop={manual ? (event) => actions.drop(entry, event) : undefined}
      onDragEnd={manual ? () => actions.dragEnd() : undefined}
    >
      {manual && (
        <span className="drag-handle" aria-hidden="true" title="Drag to reorder">
          <GripGlyph />
        </span>
      )}
      <AccountIcon issuer={view.issuer} account={view.account} />
      <div className="account-names">
        <span className="account-issuer">{view.issuer || view.account || 'Unnamed account'}</span>
        {((view.issuer && view.account) || view.tags.length > 0) && (
          <span className="account-sub">
            {view.issuer && view.account && <span className="account-name">{view.account}</span>}
            {view.tags.length > 0 && (
              <span className="tag-list">
                <span className="visually-hidden">Tags: </span>
                {view.tags.map((tag) => (
                  <span key={tag} className="tag">
                    {tag}
                  </span>
                ))}
              </span>
            )}
          </span>
        )}
      </div>
      <div className="account-code">
        <CodeDisplay id={view.id} timed={!hotp} store={store} showNext={showNext} />
        {hotp && (
          <button
            type="button"
            tabIndex={tab}
            className="icon-button"
            aria-label={`Next code for ${label}`}
            title="Next code"
            onClick={() => actions.hotpNext(entry)}
          >
            <NextGlyph />
          </button>
        )}
      </div>
      <div className="row-actions">
        <button
          type="button"
          tabIndex={tab}
          className="icon-button copy-button"
          aria-label={`Copy code for ${label}`}
          title="Copy code (Enter)"
          onClick={() => actions.copy(entry)}
        >
          <CopyGlyph />
        </button>
        <button
          type="button"
          tabIndex={tab}
          className={`icon-button favourite-button${view.favourite ? ' is-on' : ''}`}
          aria-label={`Favourite ${label}`}
          aria-pressed={view.favourite}
          title={view.favourite ? 'Unpin from the top' : 'Pin to the top'}
          onClick={() => actions.toggleFavourite(entry)}
        >
          <StarGlyph filled={view.favourite} />
        </button>
        <span className="row-more">
          <button
            type="button"
            tabIndex={tab}
            className="icon-button"
            aria-label={`Edit ${label}`}
            title="Edit"
            onClick={() => actions.edit(entry)}
          >
            <EditGlyph />
          </button>
          <button
            type="button"
            tabIndex={tab}
            className="icon-button"
            aria-label={`Show QR code for ${label}`}
            title="Show QR code (to move it to a phone)"
            onClick={() => actions.showQr(entry)}
          >
            <QrGlyph />
          </button>
          <button
            type="button"
            tabIndex={tab}
            className="icon-button danger"
            aria-label={`Delete ${label}`}
            title="Delete"
            onClick={() => actions.remove(entry)}
          >
            <TrashGlyph />
          </button>
          {manual && (
            <>
              <button
                type="button"
                tabIndex={tab}
                className="icon-button"
                aria-label={`Move ${label} up`}
                title="Move up (Alt+↑)"
                disabled={!canUp}
                data-move="up"
                onClick={() => actions.move(entry, 'up', 'button')}
              >
                <UpGlyph />
              </button>
              <button
                type="button"
                tabIndex={tab}
                className="icon-button"
                aria-label={`Move ${label} down`}
                title="Move down (Alt+↓)"
                disabled={!canDown}
                data-move="down"
                onClick={() => actions.move(entry, 'down', 'button')}
              >
                <DownGlyph />
              </button>
            </>
          )}
        </span>
      </div>
    </div>
  );
});
