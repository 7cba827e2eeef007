// User Timing marks at the moments a person waits for: the sign-in form
// shown, the sign-in sent, the overview's first screen shown with its
// figures. They cost nothing, and the start-up benchmark
// (e2e/bench_window.py) reads them.
export type Mark = 'sign-in-shown' | 'sign-in-submitted' | 'overview-shown';

export function mark(name: Mark): void {
  performance.mark(`tillit:${name}`);
}

/** Marks `name` in the frame that paints what was just put on the page (its
 * animation-frame callback runs as that frame starts), not when the page was
 * changed: a person sees it then. */
export function markPainted(name: Mark): void {
  requestAnimationFrame(() => mark(name));
}

/** Resolves once the frame about to be painted has been painted (in the
 * task after that frame's animation-frame callbacks, its layout and paint). */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
