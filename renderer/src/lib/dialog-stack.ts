/**
 * The modal dialogs open now, innermost last. A modal <dialog> makes everything outside it inert
 * (even a popover in the top layer), so whatever must stay usable above it (the toasts with
 * their Undo) is drawn inside the innermost one.
 */
type Listener = () => void;

let stack: HTMLDialogElement[] = [];
const listeners = new Set<Listener>();

export function pushDialog(dialog: HTMLDialogElement): () => void {
  stack = [...stack, dialog];
  notify();
  return () => {
    stack = stack.filter((open) => open !== dialog);
    notify();
  };
}

export function topDialog(): HTMLDialogElement | null {
  return stack.at(-1) ?? null;
}

export function onDialogsChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}
