// The pages of the app shell, in navigation order, and the hash route of each.
export const pages = ['overview', 'suppliers', 'assessments', 'reports', 'settings'] as const;

export type Page = (typeof pages)[number];

/** The page a location hash (`#/suppliers`) names; the overview for anything else. */
export function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, '');
  return (pages as readonly string[]).includes(name) ? (name as Page) : 'overview';
}
