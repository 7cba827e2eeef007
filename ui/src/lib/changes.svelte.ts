// What others change: the window asks the core every second how far the
// audit trail has grown (every change is recorded there), and when it grew,
// the lists and pages that show the register load again. A form with
// unsaved changes is never reloaded under the person; their save is then
// checked against what others saved meanwhile (a stale save is refused).
import { call } from './ipc';

export const changes = $state({ tick: 0 });

/** Polls for changes every `ms` until the returned function is called. */
export function watchChanges(ms = 1000): () => void {
  let last: number | null = null;
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = await call('changes');
      if (last !== null && now !== last) changes.tick++;
      last = now;
    } catch {
      // Signed out or the server unreachable: the next command says why.
    } finally {
      busy = false;
    }
  };
  poll();
  const timer = setInterval(poll, ms);
  return () => clearInterval(timer);
}
