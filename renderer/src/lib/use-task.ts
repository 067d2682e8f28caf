import { useCallback, useState } from 'react';

/**
 * A settings panel's one task at a time: `busy` while it runs, its error's sentence after it
 * fails, and a notice it may leave; each run clears the last error and notice.
 */
export function useTask() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = useCallback(async (task: () => Promise<void>) => {
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      await task();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, notice, setNotice, run };
}
