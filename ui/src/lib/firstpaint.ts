// The first frame before the first query.
//
// At startup the list, its filter menus and the sidebar's counts all ask the
// backend at once; with 10,000 sources the answers (and the 10,000 rows the
// web process then lays out) land while WebKit is still preparing its first
// frame, and the window stays blank longer. Waiting for that frame first shows
// the app's frame at once and fills it a moment later (BENCHMARKS-app.md).

type Frames = Pick<Window, 'requestAnimationFrame' | 'setTimeout' | 'clearTimeout'>;

/**
 * Resolves once a frame has been painted: the callback of an animation frame
 * requested from inside another runs after the first one was drawn. A hidden
 * window may not run animation frames at all, so `capMs` bounds the wait.
 */
export function afterFirstPaint(win: Frames, capMs = 200): Promise<void> {
  return new Promise((resolve) => {
    const cap = win.setTimeout(resolve, capMs);
    win.requestAnimationFrame(() =>
      win.requestAnimationFrame(() => {
        win.clearTimeout(cap);
        resolve();
      }),
    );
  });
}
