/**
 * Where a key moves focus in a list of `count` items from `index` (arrows, Home, End, and
 * PageUp/PageDown by `page`), or null for keys that do not move it. `wrap` goes round the ends.
 */
export function movedIndex(
  key: string,
  index: number,
  count: number,
  options: { wrap?: boolean; page?: number } = {},
): number | null {
  const page = options.page ?? 0;
  let next: number;
  switch (key) {
    case 'ArrowDown':
      next = index + 1;
      break;
    case 'ArrowUp':
      next = index - 1;
      break;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageDown':
      if (page === 0) return null;
      next = index + page;
      break;
    case 'PageUp':
      if (page === 0) return null;
      next = index - page;
      break;
    default:
      return null;
  }
  if (options.wrap) return (next + count) % count;
  return Math.max(0, Math.min(count - 1, next));
}
