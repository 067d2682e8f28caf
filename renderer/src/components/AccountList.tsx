import { useVirtualizer } from '@tanstack/react-virtual';
import {
  forwardRef,
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { DragEvent, KeyboardEvent } from 'react';
import type { ListEntry } from '../lib/account-list';
import { canMove, moveAccount, placeAccount } from '../lib/account-list';
import { movedIndex } from '../lib/list-keys';
import type { CodeStore } from '../lib/code-store';
import { AccountRow } from './AccountRow';
import type { RowActions } from './AccountRow';
import { Menu } from './Menu';
import type { MenuAnchor, MenuItem } from './Menu';

export const ROW_HEIGHT = 72;
const DRAG_TYPE = 'application/x-chronokey-account';

export interface ListCommands {
  /** Copies the code (`auto`: the next one in a code's last seconds) or the next code. */
  copy(entry: ListEntry, which?: 'auto' | 'next'): void;
  hotpNext(entry: ListEntry): void;
  toggleFavourite(entry: ListEntry): void;
  edit(entry: ListEntry): void;
  remove(entry: ListEntry): void;
  /** Shows the account's own otpauth QR code (after a confirmation). */
  showQr(entry: ListEntry): void;
  /** Shows only the accounts with this tag. */
  filterTag(tag: string): void;
  /** Saves a new manual order of every account id. */
  reorder(ids: string[], moved: ListEntry): void;
}

/** What the screen around the list can ask of it. */
export interface AccountListHandle {
  /** Moves focus to a row (after a deletion: its neighbour). */
  focusRow(id: string): void;
}

interface AccountListProps {
  shown: readonly ListEntry[];
  manualIds: readonly string[];
  manual: boolean;
  store: CodeStore;
  showNext: boolean;
  privacy: boolean;
  commands: ListCommands;
  /** Changes whenever the search, tag filter or sort changes: the list goes back to its top. */
  scrollKey: string;
  /** The pointer left the list (a "recently used" order may settle then). */
  onPointerLeave?: () => void;
}

/**
 * The virtualised account list: only the rows in view (plus a few) are in the DOM, so 10,000
 * accounts cost the same per second as 20. One row is in the Tab order; arrows move between
 * rows, Enter or Ctrl/Cmd+C copies, Alt+arrows reorder (manual order), Delete asks to delete,
 * the context-menu key or Shift+F10 opens the row's menu.
 */
export const AccountList = forwardRef<AccountListHandle, AccountListProps>(function AccountList(
  { shown, manualIds, manual, store, showNext, privacy, commands, scrollKey, onPointerLeave },
  handle,
) {
  const scroller = useRef<HTMLDivElement>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [drop, setDrop] = useState<{ id: string; where: 'before' | 'after' } | null>(null);
  const [draggingId, setDraggingId] = useState<string | null>(null);
  const [menu, setMenu] = useState<{
    entry: ListEntry;
    anchor: MenuAnchor;
    returnFocus: HTMLElement;
  } | null>(null);

  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 3,
    getItemKey: (index) => shown[index]?.view.id ?? index,
  });

  // A new search, tag or sort starts at the top, where its first matches are.
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [scrollKey]);

  const activeInList = activeId !== null && shown.some((entry) => entry.view.id === activeId);
  const effectiveActive = activeInList ? activeId : (shown[0]?.view.id ?? null);

  // Handlers read the latest props through a ref so the actions object (and rows) stay stable.
  const latest = useRef({ shown, manualIds, manual, commands, virtualizer });
  latest.current = { shown, manualIds, manual, commands, virtualizer };

  const focusRow = useCallback((id: string, part: 'row' | 'menu' = 'row') => {
    const { shown: current, virtualizer: v } = latest.current;
    const index = current.findIndex((entry) => entry.view.id === id);
    if (index < 0) return;
    setActiveId(id);
    v.scrollToIndex(index, { align: 'auto' });
    let tries = 0;
    const attempt = () => {
      const row = scroller.current?.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(id)}"]`);
      const target =
        part === 'row' ? row : (row?.querySelector<HTMLElement>('.more-button') ?? row);
      if (target) target.focus();
      else if (tries++ < 5) window.requestAnimationFrame(attempt);
    };
    window.requestAnimationFrame(attempt);
  }, []);

  useImperativeHandle(handle, () => ({ focusRow }), [focusRow]);

  const actions = useMemo<RowActions>(() => {
    const move = (entry: ListEntry, direction: 'up' | 'down') => {
      const { manualIds: ids, shown: current, manual: isManual, commands: cmd } = latest.current;
      if (!isManual) return;
      const order = moveAccount(ids, current, entry.view.id, direction);
      if (!order) return;
      cmd.reorder(order, entry);
      // After the list re-renders in its new order, keep focus on what the user was moving.
      window.requestAnimationFrame(() => focusRow(entry.view.id));
    };
    const openMenuFor = (entry: ListEntry, anchor: MenuAnchor, returnFocus: HTMLElement) =>
      setMenu({ entry, anchor, returnFocus });
    return {
      copy: (entry, which) => latest.current.commands.copy(entry, which),
      hotpNext: (entry) => latest.current.commands.hotpNext(entry),
      toggleFavourite: (entry) => latest.current.commands.toggleFavourite(entry),
      filterTag: (tag) => latest.current.commands.filterTag(tag),
      openMenu: openMenuFor,
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
          move(entry, event.key === 'ArrowUp' ? 'up' : 'down');
          return;
        }
        if (onRow && (event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10'))) {
          event.preventDefault();
          const button = event.currentTarget.querySelector<HTMLElement>('.more-button');
          openMenuFor(
            entry,
            button ? { kind: 'element', element: button } : { kind: 'point', x: 0, y: 0 },
            event.currentTarget,
          );
          return;
        }
        const mod = event.ctrlKey || event.metaKey;
        if (mod && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'c') {
          // Copy the focused row's code, unless the person selected text to copy.
          if (onRow && !window.getSelection()?.toString()) {
            event.preventDefault();
            latest.current.commands.copy(entry);
          }
          return;
        }
        if (mod || event.altKey) return;
        const moved = movedIndex(event.key, index, current.length, { page: 8 });
        if (moved !== null) {
          event.preventDefault();
          focusAt(moved);
          return;
        }
        switch (event.key) {
          case 'Enter':
            if (onRow) {
              event.preventDefault();
              latest.current.commands.copy(entry);
            }
            break;
          case 'Delete':
          case 'Backspace':
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
      onPointerLeave={onPointerLeave}
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
              dropMark={drop?.id === entry.view.id ? drop.where : null}
              dragging={draggingId === entry.view.id}
              active={entry.view.id === effectiveActive}
            />
          );
        })}
      </div>
      {menu && (
        <Menu
          label={`Actions for ${menu.entry.label}`}
          items={menuItems(menu.entry, {
            commands,
            manual,
            canUp: manual && canMove(shown, indexOf(shown, menu.entry), 'up'),
            canDown: manual && canMove(shown, indexOf(shown, menu.entry), 'down'),
            move: (direction) => {
              const order = moveAccount(manualIds, shown, menu.entry.view.id, direction);
              if (order) commands.reorder(order, menu.entry);
            },
          })}
          anchor={menu.anchor}
          returnFocus={menu.returnFocus}
          onClose={() => setMenu(null)}
        />
      )}
    </div>
  );
});

function indexOf(shown: readonly ListEntry[], entry: ListEntry): number {
  return shown.findIndex((candidate) => candidate.view.id === entry.view.id);
}

/** The row menu: every action of an account, the same from "⋯" and from a right-click. */
function menuItems(
  entry: ListEntry,
  options: {
    commands: ListCommands;
    manual: boolean;
    canUp: boolean;
    canDown: boolean;
    move: (direction: 'up' | 'down') => void;
  },
): MenuItem[] {
  const { commands, manual } = options;
  const hotp = entry.view.type === 'hotp';
  const items: MenuItem[] = [
    { label: 'Copy code', hint: 'Enter', onSelect: () => commands.copy(entry) },
    hotp
      ? { label: 'Next code', onSelect: () => commands.hotpNext(entry) }
      : { label: 'Copy next code', onSelect: () => commands.copy(entry, 'next') },
    {
      label: entry.view.favourite ? 'Unpin from the top' : 'Pin to the top',
      onSelect: () => commands.toggleFavourite(entry),
    },
    { label: 'Edit…', onSelect: () => commands.edit(entry) },
    { label: 'Show QR code…', onSelect: () => commands.showQr(entry) },
  ];
  if (manual) {
    items.push(
      {
        label: 'Move up',
        hint: 'Alt+↑',
        disabled: !options.canUp,
        onSelect: () => options.move('up'),
      },
      {
        label: 'Move down',
        hint: 'Alt+↓',
        disabled: !options.canDown,
        onSelect: () => options.move('down'),
      },
    );
  }
  items.push({
    label: 'Delete…',
    hint: 'Del',
    danger: true,
    onSelect: () => commands.remove(entry),
  });
  return items;
}
