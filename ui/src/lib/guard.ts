// Forms with unsaved changes: each open form registers how to tell whether
// it holds changes, and leaving the page (another page, Switch user) asks
// first while any does.
import { onDestroy } from 'svelte';

const open = new Map<symbol, () => boolean>();

/** Registers the calling component's form while it is shown: `isDirty`
 *  tells whether it holds changes not saved. Call during component setup. */
export function guardUnsaved(isDirty: () => boolean): void {
  const key = Symbol('form');
  open.set(key, isDirty);
  onDestroy(() => open.delete(key));
}

/** Whether any open form holds changes not saved. */
export function hasUnsaved(): boolean {
  for (const isDirty of open.values()) if (isDirty()) return true;
  return false;
}

/** Guards a form whose values `current` returns: it holds unsaved changes
 *  while they differ from what they were when it opened (or were last
 *  saved). Call during component setup. */
export function unsavedChanges(current: () => unknown): { saved: () => void; reset: () => void } {
  let baseline = JSON.stringify(current());
  let closing = false;
  guardUnsaved(() => !closing && JSON.stringify(current()) !== baseline);
  return {
    /** The values were saved and the form is closing. */
    saved: () => (closing = true),
    /** The values shown now are the saved ones. */
    reset: () => {
      baseline = JSON.stringify(current());
      closing = false;
    },
  };
}

/** Moves the focus to the first field of a form when it opens. */
export function focusFirst(form: HTMLElement): void {
  queueMicrotask(() => form.querySelector<HTMLElement>('input:not([type=hidden]):not([disabled]), select, textarea')?.focus());
}
