// The route the window shows, as reactive state read from the location
// hash. A list keeps its filters in the hash (`setParams`), so a link from
// the overview opens it with those filters set, and Back returns to them.
import { hashOf, routeFromHash, type Route } from './pages';

let current = $state<Route>(routeFromHash(location.hash));

export const router = {
  get route(): Route {
    return current;
  },
};

/** Reads the route again after the hash changed. */
export function followHash(): void {
  current = routeFromHash(location.hash);
}

/** Sets the current list's filters in the address (no new history entry). */
export function setParams(params: Record<string, string>): void {
  const hash = hashOf({ ...current, params });
  history.replaceState(history.state, '', hash);
  current = routeFromHash(hash);
}
