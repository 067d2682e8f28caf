import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { DragEvent, KeyboardEvent } from 'react';
import type { ListEntry } from '../lib/account-list';
import { canMove, moveAccount, placeAccount } from '../lib/account-list';
import type { CodeStore } from '../lib/code-store';
import { AccountRow } from './AccountRow';
import type { RowActions } from './AccountRow';

export const ROW_HEIGHT = 72;
const DRAG_TYPE = 'application/x-chronokey-account';

export interface ListCommands {
  copy(entry: ListEntry): void;
  hotpNext(entry: ListEntry): void;
  toggleFavourite(entry: ListEntry): void;
  edit(entry: ListEntry): void;
  remove(entry: ListEntry): void;
  /** Shows the account's own otpauth QR code (after a confirmation). */
  showQr(entry: ListEntry): void;
  /** Saves a new manual order of every account id. */
  reorder(ids: string[], moved: ListEntry): void;
}

interface AccountListProps {
  shown: readonly ListEntry[];
  manualIds: readonly string[];
  manual: boolean;
  store: CodeStore;
  showNext: boolean;
  privacy: boolean;
  commands: ListCommands;
}

/**
 * The virtualised account list: only the rows in view (plus a few) are in the DOM, so 10,000
 * accounts cost the same per second as 20. One row is in the Tab order; arrows move between
 * rows, Enter copies, Alt+arrows reorder (manual order), Delete asks to delete.
 */
export function AccountList({
  shown,
  manualIds,
  manual,
  store,
  showNext,
  privacy,
  commands,
}: AccountListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [drop, setDrop] = useState<{ id: string; where: 'before' | 'after' } | null>(null);
  const [draggingId, setDraggingId] = useState<string | null>(null);

  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 3,
    getItemKey: (index) => shown[index]?.view.id ?? index,
  });

  const activeInList = activeId !== null && shown.some((entry) => entry.view.id === activeId);
  const effectiveActive = activeInList ? activeId : (shown[0]?.view.id ?? null);

  // Handlers read the latest props through a ref so the actions object (and rows) stay stable.
  const latest = useRef({ shown, manualIds, manual, commands, virtualizer });
  latest.current = { shown, manualIds, manual, commands, virtualizer };

  const focusRow = useCallback((id: string, part: 'row' | 'up' | 'down' = 'row') => {
    const { shown: current, virtualizer: v } = latest.current;
    const index = current.findIndex((entry) => entry.view.id === id);
    if (index < 0) return;
    setActiveId(id);
    v.scrollToIndex(index, { align: 'auto' });
    let tries = 0;
    const attempt = () => {
      const row = scroller.current?.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(id)}"]`);
      const target =
        part === 'row'
          ? row
          : (row?.querySelector<HTMLButtonElement>(`button[data-move="${part}"]:not(:disabled)`) ??
            row);
      if (target) target.focus();
      else if (tries++ < 5) window.requestAnimationFrame(attempt);
    };
    window.requestAnimationFrame(attempt);
  }, []);

  const actions = useMemo<RowActions>(() => {
    const move = (entry: ListEntry, direction: 'up' | 'down', via: 'button' | 'row') => {
      const { manualIds: ids, shown: current, manual: isManual, commands: cmd } = latest.current;
      if (!isManual) return;
      const order = moveAccount(ids, current, entry.view.id, direction);
      if (!order) return;
      cmd.reorder(order, entry);
      // After the list re-renders in its new order, keep focus on what the user was moving.
      window.requestAnimationFrame(() =>
        focusRow(entry.view.id, via === 'button' ? direction : 'row'),
      );
    };
    return {
      copy: (entry) => latest.current.commands.copy(entry),
      hotpNext: (entry) => latest.current.commands.hotpNext(entry),
      toggleFavourite: (entry) => latest.current.commands.toggleFavourite(entry),
      edit: (entry) => latest.current.commands.edit(entry),
      remove: (entry) => latest.current.commands.remove(entry),
      showQr: (entry) => latest.current.commands.showQr(entry),
      move,
      activate: (entry) => setActiveId(entry.view.id),
      rowKeyDown: (entry, index, event: KeyboardEvent<HTMLDivElement>) => {
        const onRow = event.target === event.currentTarget;
        const { shown: current } = latest.current;
        const focusAt = (at: number) => {
          const target = current[Math.max(0, Math.min(current.length - 1, at))];
          if (target) focusRow(target.view.id);
        };
        if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
          event.preventDefault();
          move(entry, event.key === 'ArrowUp' ? 'up' : 'down', 'row');
          return;
        }
        if (event.ctrlKey || event.metaKey || event.altKey) return;
        switch (event.key) {
          case 'ArrowDown':
            event.preventDefault();
            focusAt(index + 1);
            break;
          case 'ArrowUp':
            event.preventDefault();
            focusAt(index - 1);
            break;
          case 'Home':
            event.preventDefault();
            focusAt(0);
            break;
          case 'End':
            event.preventDefault();
            focusAt(current.length - 1);
            break;
          case 'PageDown':
            event.preventDefault();
            focusAt(index + 8);
            break;
          case 'PageUp':
            event.preventDefault();
            focusAt(index - 8);
            break;
          case 'Enter':
            if (onRow) {
              event.preventDefault();
              latest.current.commands.copy(entry);
            }
            break;
          case 'Delete':
            if (onRow) {
              event.preventDefault();
              latest.current.commands.remove(entry);
            }
            break;
          default:
        }
      },
      dragStart: (entry, event: DragEvent<HTMLDivElement>) => {
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData(DRAG_TYPE, entry.view.id);
        event.dataTransfer.setData('text/plain', entry.label);
        setDraggingId(entry.view.id);
      },
      dragOver: (entry, event: DragEvent<HTMLDivElement>) => {
        if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        const rect = event.currentTarget.getBoundingClientRect();
        const where = event.clientY < rect.top + rect.height / 2 ? 'before' : 'after';
        setDrop((current) =>
          current?.id === entry.view.id && current.where === where
            ? current
            : { id: entry.view.id, where },
        );
      },
      drop: (entry, event: DragEvent<HTMLDivElement>) => {
        const id = event.dataTransfer.getData(DRAG_TYPE);
        event.preventDefault();
        const rect = event.currentTarget.getBoundingClientRect();
        const where = event.clientY < rect.top + rect.height / 2 ? 'before' : 'after';
        setDrop(null);
        setDraggingId(null);
        const { manualIds: ids, shown: current, commands: cmd } = latest.current;
        const moved = current.find((candidate) => candidate.view.id === id);
        if (!moved) return;
        const order = placeAccount(ids, id, entry.view.id, where);
        if (order) cmd.reorder(order, moved);
      },
      dragEnd: () => {
        setDrop(null);
        setDraggingId(null);
      },
    };
  }, [focusRow]);

  const items = virtualizer.getVirtualItems();

  return (
    <div
      ref={scroller}
      className={`list-scroller${privacy ? ' privacy' : ''}`}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDrop(null);
      }}
    >
      <div
        role="list"
        aria-label="Accounts"
        className="account-list"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {items.map((item) => {
          const entry = shown[item.index];
          if (!entry) return null;
          return (
            <AccountRow
              key={entry.view.id}
              entry={entry}
              index={item.index}
              count={shown.length}
              top={item.start}
              height={ROW_HEIGHT}
              store={store}
              actions={actions}
              showNext={showNext}
              manual={manual}
              canUp={manual && canMove(shown, item.index, 'up')}
              canDown={manual && canMove(shown, item.index, 'down')}
              dropMark={drop?.id === entry.view.id ? drop.where : null}
              dragging={draggingId === entry.view.id}
              active={entry.view.id === effectiveActive}
            />
          );
        })}
      </div>
    </div>
  );
}
