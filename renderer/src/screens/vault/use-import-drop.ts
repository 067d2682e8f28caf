import { useEffect } from 'react';
import type { ImportInput } from '../../dialogs/ImportDialog';
import { filesOf, hasFiles, looksImportable, pastedFileName } from '../../lib/files';

/**
 * Files dropped anywhere on the window, pictures pasted with Ctrl/Cmd+V, and links pasted on the
 * bare main screen go to the import. `accepts` says whether the open dialog (if any) takes them.
 */
export function useImportDrop(options: {
  accepts: () => boolean;
  dialogOpen: () => boolean;
  setDragging: (dragging: boolean) => void;
  startImport: (input: Omit<ImportInput, 'seq'>) => void;
}): void {
  const { accepts, dialogOpen, setDragging, startImport } = options;
  useEffect(() => {
    let depth = 0;
    const onDragEnter = (event: DragEvent) => {
      if (!hasFiles(event.dataTransfer) || !accepts()) return;
      depth += 1;
      setDragging(true);
    };
    const onDragOver = (event: DragEvent) => {
      if (!hasFiles(event.dataTransfer)) return;
      // Never let the browser open a dropped file in place of the app.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = accepts() ? 'copy' : 'none';
    };
    const onDragLeave = (event: DragEvent) => {
      if (!hasFiles(event.dataTransfer) || depth === 0) return;
      depth -= 1;
      if (depth === 0) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      depth = 0;
      setDragging(false);
      const files = filesOf(event.dataTransfer);
      if (files.length === 0) return;
      event.preventDefault();
      if (!accepts()) return;
      startImport({ files: files.map((file) => ({ file, name: file.name })) });
    };
    const onPaste = (event: ClipboardEvent) => {
      if (!accepts()) return;
      const files = filesOf(event.clipboardData);
      if (files.length > 0) {
        event.preventDefault();
        startImport({
          files: files.map((file, index) => ({
            file,
            name: pastedFileName(file, index, files.length),
          })),
        });
        return;
      }
      // Pasted text goes where it was pasted, except links pasted on the bare main screen.
      if (dialogOpen()) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      const text = event.clipboardData?.getData('text/plain') ?? '';
      if (looksImportable(text)) {
        event.preventDefault();
        startImport({ text });
      }
    };
    window.addEventListener('dragenter', onDragEnter);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('dragenter', onDragEnter);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('paste', onPaste);
    };
  }, [accepts, dialogOpen, setDragging, startImport]);
}
