// The pages of the app shell, in navigation order, and the hash routes:
// `#/suppliers`, `#/suppliers/new`, `#/suppliers/<id>`, and a list with its
// filters set, `#/suppliers?review=overdue` or `#/assessments?state=submitted`.
export const pages = ['overview', 'suppliers', 'assessments', 'reports', 'settings'] as const;

export type Page = (typeof pages)[number];

export interface Route {
  page: Page;
  /** The record the page shows: an id, or 'new' for a creation form. */
  id?: string;
  /** The filters of a list, as the hash names them. */
  params?: Record<string, string>;
}

/** The route a location hash names; the overview for anything unknown. */
export function routeFromHash(hash: string): Route {
  const [path, query] = hash.replace(/^#\/?/, '').split('?');
  const [name, id] = (path ?? '').split('/');
  const page = (pages as readonly string[]).includes(name ?? '') ? (name as Page) : 'overview';
  const route: Route = { page };
  if (id) route.id = decodeURIComponent(id);
  if (query) {
    const params = Object.fromEntries(new URLSearchParams(query));
    if (Object.keys(params).length) route.params = params;
  }
  return route;
}

/** The page a location hash names. */
export function pageFromHash(hash: string): Page {
  return routeFromHash(hash).page;
}

/** The hash of a route; empty parameters are left out. */
export function hashOf(route: Route): string {
  const path = route.id ? `#/${route.page}/${encodeURIComponent(route.id)}` : `#/${route.page}`;
  const set = Object.entries(route.params ?? {}).filter(([, value]) => value !== '');
  return set.length ? `${path}?${new URLSearchParams(set).toString()}` : path;
}
