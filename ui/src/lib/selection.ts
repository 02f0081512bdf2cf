// Multi-selection in a list, as desktop lists do it: click selects one,
// Ctrl/Cmd+click toggles, Shift+click extends from the anchor. Works on ids so
// a refreshed list keeps what is still there.

export interface Selection {
  ids: Set<number>;
  /** The id Shift+click extends from. */
  anchor: number | null;
}

export function emptySelection(): Selection {
  return { ids: new Set(), anchor: null };
}

export function clickSelect(
  sel: Selection,
  order: number[],
  id: number,
  mods: { toggle: boolean; extend: boolean },
): Selection {
  if (mods.extend && sel.anchor != null) {
    const a = order.indexOf(sel.anchor);
    const b = order.indexOf(id);
    if (a >= 0 && b >= 0) {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const ids = mods.toggle ? new Set(sel.ids) : new Set<number>();
      for (let i = lo; i <= hi; i++) ids.add(order[i]);
      return { ids, anchor: sel.anchor };
    }
  }
  if (mods.toggle) {
    const ids = new Set(sel.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id };
  }
  return { ids: new Set([id]), anchor: id };
}

/** Drops ids no longer in the list (after a refresh or a filter change). */
export function pruneSelection(sel: Selection, present: Iterable<number>): Selection {
  const keep = new Set(present);
  const ids = new Set([...sel.ids].filter((id) => keep.has(id)));
  return { ids, anchor: sel.anchor != null && keep.has(sel.anchor) ? sel.anchor : null };
}
