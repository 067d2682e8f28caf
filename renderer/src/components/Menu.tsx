import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { movedIndex } from '../lib/list-keys';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  danger?: boolean;
  /** A keyboard hint shown at the end of the item ("Enter", "Del"). */
  hint?: string;
}

/** Where the menu opens: under a button, or at the pointer (a right-click). */
export type MenuAnchor =
  { kind: 'element'; element: HTMLElement } | { kind: 'point'; x: number; y: number };

const MARGIN = 8;

/**
 * A small popup menu (role="menu"): arrow keys move between items, Enter or Space picks one,
 * Escape, Tab, a click elsewhere or the window losing focus close it, and focus goes back to
 * `returnFocus`. Positioned fixed and kept inside the window, so it works at any size.
 */
export function Menu({
  label,
  items,
  anchor,
  onClose,
  returnFocus,
}: {
  label: string;
  items: readonly MenuItem[];
  anchor: MenuAnchor;
  onClose: () => void;
  returnFocus: HTMLElement | null;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState<{ left: number; top: number } | null>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useLayoutEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    const { width, height } = menu.getBoundingClientRect();
    let left: number;
    let top: number;
    if (anchor.kind === 'element') {
      const rect = anchor.element.getBoundingClientRect();
      left = rect.right - width;
      top = rect.bottom + 4;
      if (top + height > window.innerHeight - MARGIN) top = rect.top - height - 4;
    } else {
      left = anchor.x;
      top = anchor.y;
      if (top + height > window.innerHeight - MARGIN) top = anchor.y - height;
    }
    left = Math.max(MARGIN, Math.min(left, window.innerWidth - width - MARGIN));
    top = Math.max(MARGIN, Math.min(top, window.innerHeight - height - MARGIN));
    setPosition({ left, top });
  }, [anchor]);

  useEffect(() => {
    if (!position) return;
    ref.current
      ?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')
      ?.focus();
  }, [position]);

  useEffect(() => {
    const close = () => onCloseRef.current();
    const onPointerDown = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) close();
    };
    window.addEventListener('pointerdown', onPointerDown, true);
    window.addEventListener('blur', close);
    window.addEventListener('resize', close);
    return () => {
      window.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('blur', close);
      window.removeEventListener('resize', close);
    };
  }, []);

  function finish(run?: () => void) {
    onClose();
    if (returnFocus?.isConnected) returnFocus.focus();
    run?.();
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLDivElement>) {
    const entries = [
      ...(ref.current?.querySelectorAll<HTMLElement>(
        '[role="menuitem"]:not([aria-disabled="true"])',
      ) ?? []),
    ];
    const at = entries.indexOf(document.activeElement as HTMLElement);
    const moved = movedIndex(event.key, at, entries.length, { wrap: true });
    if (moved !== null) {
      event.preventDefault();
      entries[moved]?.focus();
      return;
    }
    switch (event.key) {
      case 'Escape':
      case 'Tab':
        event.preventDefault();
        event.stopPropagation();
        finish();
        break;
      default:
    }
  }

  return (
    <div
      ref={ref}
      role="menu"
      aria-label={label}
      className="menu"
      style={position ?? { left: 0, top: 0, visibility: 'hidden' }}
      onKeyDown={onKeyDown}
      onContextMenu={(event) => event.preventDefault()}
    >
      {items.map((item) => (
        <div
          key={item.label}
          role="menuitem"
          tabIndex={-1}
          aria-disabled={item.disabled === true}
          className={`menu-item${item.danger ? ' danger' : ''}`}
          onClick={() => {
            if (!item.disabled) finish(item.onSelect);
          }}
          onKeyDown={(event) => {
            if ((event.key === 'Enter' || event.key === ' ') && !item.disabled) {
              event.preventDefault();
              event.stopPropagation();
              finish(item.onSelect);
            }
          }}
        >
          <span>{item.label}</span>
          {item.hint && (
            <kbd className="menu-hint" aria-hidden="true">
              {item.hint}
            </kbd>
          )}
        </div>
      ))}
    </div>
  );
}
