// The pages of the app shell, in navigation order, and the hash routes:
// `#/suppliers`, `#/suppliers/new`, `#/suppliers/<id>`.
export const pages = ['overview', 'suppliers', 'assessments', 'reports', 'settings'] as const;

export type Page = (typeof pages)[number];

export interface Route {
  page: Page;
  /** The record the page shows: an id, or 'new' for a creation form. */
  id?: string;
}

/** The route a location hash names; the overview for anything unknown. */
export function routeFromHash(hash: string): Route {
  const [name, id] = hash.replace(/^#\/?/, '').split('/');
  const page = (pages as readonly string[]).includes(name ?? '') ? (name as Page) : 'overview';
  return id ? { page, id: decodeURIComponent(id) } : { page };
}

/** The page a location hash names. */
export function pageFromHash(hash: string): Page {
  return routeFromHash(hash).page;
}

/** The hash of a route. */
export function hashOf(route: Route): string {
  return route.id ? `#/${route.page}/${encodeURIComponent(route.id)}` : `#/${route.page}`;
}
