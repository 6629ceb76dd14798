// Virtualised grid layout math (pure, unit-tested): square tiles in row-major order inside a
// scrolling viewport; only rows intersecting the viewport (plus overscan) are in the DOM.
export interface GridLayout {
  columns: number;
  tile: number; // tile edge in px (without gap)
  rowHeight: number; // tile + gap
  rows: number;
  totalHeight: number;
}

export function computeLayout(width: number, count: number, target = 200, gap = 6): GridLayout {
  const w = Math.max(1, width);
  const columns = Math.max(2, Math.floor((w + gap) / (Math.max(75, Math.min(300, target)) + gap)));
  const tile = Math.max(1, Math.floor((w - gap * (columns + 1)) / columns));
  const rowHeight = tile + gap;
  const rows = Math.ceil(Math.max(0, count) / columns);
  return { columns, tile, rowHeight, rows, totalHeight: rows * rowHeight + gap };
}

export interface VisibleRange {
  start: number; // first item index rendered (inclusive)
  end: number; // last item index rendered (exclusive)
}

export function visibleRange(layout: GridLayout, scrollTop: number, viewportHeight: number, count: number, overscanRows = 2): VisibleRange {
  if (count <= 0 || layout.rows === 0) return { start: 0, end: 0 };
  const firstRow = Math.max(0, Math.floor(Math.max(0, scrollTop) / layout.rowHeight) - overscanRows);
  const lastRow = Math.min(layout.rows - 1, Math.floor((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / layout.rowHeight) + overscanRows);
  return { start: firstRow * layout.columns, end: Math.min(count, (lastRow + 1) * layout.columns) };
}

export function tilePosition(layout: GridLayout, i: number, gap = 6): { top: number; left: number } {
  const row = Math.floor(i / layout.columns);
  const col = i % layout.columns;
  return { top: gap + row * layout.rowHeight, left: gap + col * (layout.tile + gap) };
}

// The scrollTop that brings item i fully into view (unchanged when already visible).
export function scrollToReveal(layout: GridLayout, i: number, scrollTop: number, viewportHeight: number, gap = 6): number {
  const top = tilePosition(layout, i, gap).top;
  if (top - gap < scrollTop) return Math.max(0, top - gap);
  if (top + layout.tile + gap > scrollTop + viewportHeight) return Math.max(0, top + layout.tile + gap - viewportHeight);
  return scrollTop;
}
