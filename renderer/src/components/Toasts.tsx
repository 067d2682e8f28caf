import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { onDialogsChange, topDialog } from '../lib/dialog-stack';

export interface ToastInput {
  message: string;
  action?: { label: string; run: () => void };
  /** Errors stay a little longer and look different; they are still polite announcements. */
  tone?: 'info' | 'error';
}

interface Toast extends ToastInput {
  id: number;
}

type ShowToast = (toast: ToastInput) => void;

const ToastContext = createContext<ShowToast>(() => undefined);

export function useToast(): ShowToast {
  return useContext(ToastContext);
}

const VISIBLE_MS = 4000;
const WITH_ACTION_MS = 10000;

/**
 * Short confirmations in one live region (role=status) that exists from the start, so screen
 * readers announce each new message. A toast waits while the pointer or focus is on it. While a
 * dialog is open the toasts are drawn inside it, so they show (and their Undo works) above it.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => {
    setToasts((current) => current.filter((toast) => toast.id !== id));
  }, []);

  const show = useCallback<ShowToast>((input) => {
    const id = nextId.current++;
    // Keep at most three; a new copy confirmation replaces older plain ones.
    setToasts((current) => [
      ...current.filter((toast) => toast.action).slice(-2),
      { ...input, id },
    ]);
  }, []);

  const value = useMemo(() => show, [show]);

  const host = useSyncExternalStore(onDialogsChange, topDialog);
  const region = (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <ToastItem key={toast.id} toast={toast} onDismiss={dismiss} />
      ))}
    </div>
  );

  return (
    <ToastContext.Provider value={value}>
      {children}
      {host ? createPortal(region, host) : region}
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (paused) return undefined;
    const timer = window.setTimeout(
      () => onDismiss(toast.id),
      toast.action ? WITH_ACTION_MS : VISIBLE_MS,
    );
    return () => window.clearTimeout(timer);
  }, [paused, toast, onDismiss]);

  return (
    <div
      className={`toast${toast.tone === 'error' ? ' toast-error' : ''}`}
      onPointerEnter={() => setPaused(true)}
      onPointerLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
    >
      <span className="toast-message">{toast.message}</span>
      {toast.action && (
        <button
          type="button"
          className="toast-action"
          onClick={() => {
            toast.action?.run();
            onDismiss(toast.id);
          }}
        >
          {toast.action.label}
        </button>
      )}
    </div>
  );
}
