import { describe, expect, it } from 'vitest';
import { en } from './i18n/messages';
import { pageFromHash, pages } from './pages';

describe('pageFromHash', () => {
  it('finds every page by its hash', () => {
    for (const page of pages) expect(pageFromHash(`#/${page}`)).toBe(page);
  });

  it('opens the overview for an empty or unknown hash', () => {
    expect(pageFromHash('')).toBe('overview');
    expect(pageFromHash('#/nowhere')).toBe('overview');
  });
});

it('gives every page a navigation label', () => {
  for (const page of pages) expect(en).toHaveProperty(`nav.${page}`);
});
