import type { Settings } from '../../../../shared/domain';
import { UndoGlyph } from '../../components/glyphs';

interface FilterBarProps {
  shownCount: number;
  totalCount: number;
  tags: readonly string[];
  activeTag: string | null;
  onTag: (tag: string | null) => void;
  sortOrder: Settings['sortOrder'];
  onSort: (order: Settings['sortOrder']) => void;
  /** How many deleted accounts can still be brought back (0 hides the button). */
  deletedCount: number;
  onRecentlyDeleted: () => void;
}

/** How many accounts show, the tag filter, the sort, and what was deleted recently. */
export function FilterBar({
  shownCount,
  totalCount,
  tags,
  activeTag,
  onTag,
  sortOrder,
  onSort,
  deletedCount,
  onRecentlyDeleted,
}: FilterBarProps) {
  return (
    <div className="filter-bar">
      <span className="count" aria-live="polite">
        {shownCount === totalCount
          ? `${totalCount} ${totalCount === 1 ? 'account' : 'accounts'}`
          : `${shownCount} of ${totalCount}`}
      </span>
      <div className="filters">
        {deletedCount > 0 && (
          <button type="button" className="button button-quiet" onClick={onRecentlyDeleted}>
            <UndoGlyph />
            <span>Recently deleted ({deletedCount})</span>
          </button>
        )}
        <label className="inline-select">
          <span className="filter-label">Tag</span>
          <select
            aria-label="Filter by tag"
            value={activeTag ?? ''}
            onChange={(event) => onTag(event.target.value === '' ? null : event.target.value)}
          >
            <option value="">All tags</option>
            {tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-select">
          <span className="filter-label">Sort</span>
          <select
            aria-label="Sort by"
            value={sortOrder}
            onChange={(event) => onSort(event.target.value as Settings['sortOrder'])}
          >
            <option value="manual">Manual order</option>
            <option value="name">Name</option>
            <option value="recent">Recently used</option>
          </select>
        </label>
      </div>
    </div>
  );
}
