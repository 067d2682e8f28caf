import { memo } from 'react';
import type { DragEvent, KeyboardEvent, MouseEvent } from 'react';
import type { ListEntry } from '../lib/account-list';
import type { CodeStore } from '../lib/code-store';
import { AccountIcon } from './AccountIcon';
import { CodeDisplay } from './CodeDisplay';
import { GripGlyph, MoreGlyph, NextGlyph, StarGlyph } from './glyphs';
import type { MenuAnchor } from './Menu';

/** What a row can ask the list to do; one stable object shared by every row. */
export interface RowActions {
  copy(entry: ListEntry, which?: 'auto' | 'next'): void;
  hotpNext(entry: ListEntry): void;
  toggleFavourite(entry: ListEntry): void;
  filterTag(tag: string): void;
  openMenu(entry: ListEntry, anchor: MenuAnchor, returnFocus: HTMLElement): void;
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
  dropMark: 'before' | 'after' | null;
  dragging: boolean;
  /** The one row in the Tab order (roving focus); arrow keys move between rows. */
  active: boolean;
}

/**
 * One account: its icon, names and tags, its code (and the next one near expiry), a star and a
 * "⋯" menu that holds every other action (also on right-click and the context-menu key).
 * A click anywhere else copies the code; nothing in the row moves or appears on hover, so the
 * row under the pointer is always the one clicked.
 */
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
  dropMark,
  dragging,
  active,
}: AccountRowProps) {
  const tab = active ? 0 : -1;
  const { view, label } = entry;
  const hotp = view.type === 'hotp';
  const title = fullName(view.issuer, view.account, view.tags);

  function onRowClick(event: MouseEvent<HTMLDivElement>) {
    // Buttons inside the row do their own thing, and selecting text is not a click to copy.
    if ((event.target as HTMLElement).closest('button, [data-no-copy]')) return;
    if (window.getSelection()?.toString()) return;
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
      onContextMenu={(event) => {
        event.preventDefault();
        actions.openMenu(
          entry,
          { kind: 'point', x: event.clientX, y: event.clientY },
          event.currentTarget,
        );
      }}
      onKeyDown={(event) => actions.rowKeyDown(entry, index, event)}
      onFocus={() => actions.activate(entry)}
      // Only the handle starts a drag (it arms the row), so text in the row can be selected.
      draggable={false}
      onDragStart={manual ? (event) => actions.dragStart(entry, event) : undefined}
      onDragOver={manual ? (event) => actions.dragOver(entry, event) : undefined}
      onDrop={manual ? (event) => actions.drop(entry, event) : undefined}
      onDragEnd={
        manual
          ? (event) => {
              event.currentTarget.draggable = false;
              actions.dragEnd();
            }
          : undefined
      }
    >
      {manual && (
        <span
          className="drag-handle"
          aria-hidden="true"
          title="Drag to reorder"
          onPointerDown={(event) => {
            const row = event.currentTarget.closest<HTMLElement>('.account-row');
            if (row) row.draggable = true;
          }}
          onPointerUp={(event) => {
            const row = event.currentTarget.closest<HTMLElement>('.account-row');
            if (row) row.draggable = false;
          }}
        >
          <GripGlyph />
        </span>
      )}
      <AccountIcon issuer={view.issuer} account={view.account} />
      <div className="account-names" title={title}>
        <span className="account-issuer">{view.issuer || view.account || 'Unnamed account'}</span>
        {((view.issuer && view.account) || view.tags.length > 0) && (
          <span className="account-sub">
            {view.issuer && view.account && <span className="account-name">{view.account}</span>}
            {view.tags.length > 0 && (
              <span className="tag-list">
                <span className="visually-hidden">Tags: </span>
                {view.tags.map((tag) => (
                  <button
                    key={tag}
                    type="button"
                    tabIndex={-1}
                    className="tag"
                    title={`Show only accounts tagged “${tag}”`}
                    onClick={() => actions.filterTag(tag)}
                  >
                    {tag}
                  </button>
                ))}
              </span>
            )}
          </span>
        )}
      </div>
      <div className="account-code">
        <CodeDisplay
          id={view.id}
          timed={!hotp}
          store={store}
          showNext={showNext}
          onCopyNext={() => actions.copy(entry, 'next')}
        />
        {hotp && (
          <button
            type="button"
            tabIndex={tab}
            className="icon-button next-button"
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
          className={`icon-button favourite-button${view.favourite ? ' is-on' : ''}`}
          aria-label={`Favourite ${label}`}
          aria-pressed={view.favourite}
          title={view.favourite ? 'Unpin from the top' : 'Pin to the top'}
          onClick={() => actions.toggleFavourite(entry)}
        >
          <StarGlyph filled={view.favourite} />
        </button>
        <button
          type="button"
          tabIndex={tab}
          className="icon-button more-button"
          aria-label={`More actions for ${label}`}
          aria-haspopup="menu"
          title="More actions"
          onClick={(event) =>
            actions.openMenu(
              entry,
              { kind: 'element', element: event.currentTarget },
              event.currentTarget,
            )
          }
        >
          <MoreGlyph />
        </button>
      </div>
    </div>
  );
});

/** The full name for the tooltip: issuer, account and tags, never cut short. */
function fullName(issuer: string, account: string, tags: readonly string[]): string {
  const name =
    issuer && account ? `${issuer} — ${account}` : issuer || account || 'Unnamed account';
  return tags.length > 0 ? `${name} · ${tags.join(', ')}` : name;
}
