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

/** The filters of a list page, kept in the address: one set (true as "1",
 *  false or nothing as unset), a column sorted (the same one again: the
 *  other way), every filter cleared but the sort, and a search set once the
 *  person pauses typing. */
export function addressFilters() {
  const params = () => current.params ?? {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  function set(name: string, value: string | boolean | null): void {
    const text = value === true ? '1' : value === false || value === null ? '' : value;
    setParams({ ...params(), [name]: text });
  }
  return {
    set,
    sortBy(key: string, sorted: string, descending: boolean): void {
      setParams({ ...params(), sort: key, descending: sorted === key && !descending ? '1' : '' });
    },
    clear(): void {
      setParams({ sort: params().sort ?? '', descending: params().descending ?? '' });
    },
    searchLater(text: string): void {
      clearTimeout(timer);
      timer = setTimeout(() => set('search', text.trim()), 120);
    },
  };
}
