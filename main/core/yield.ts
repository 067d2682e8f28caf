/**
 * Long work in the main process (a preview of 100,000 links, a merge) must not freeze the
 * window: it calls the yielder between steps, which gives the event loop a turn (IPC, timers,
 * the code refresh) whenever `budgetMs` of work has passed since the last turn.
 */
export function createYielder(budgetMs = 8): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}
