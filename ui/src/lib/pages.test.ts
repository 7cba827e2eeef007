import { describe, expect, it } from 'vitest';
import { loadCatalogue } from './i18n/translate';
import { hashOf, pageFromHash, pages, routeFromHash } from './pages';

describe('pageFromHash', () => {
  it('finds every page by its hash', () => {
    for (const page of pages) expect(pageFromHash(`#/${page}`)).toBe(page);
  });

  it('opens the overview for an empty or unknown hash', () => {
    expect(pageFromHash('')).toBe('overview');
    expect(pageFromHash('#/nowhere')).toBe('overview');
  });
});

it('gives every page a navigation label', async () => {
  const en = await loadCatalogue('en');
  for (const page of pages) expect(en).toHaveProperty(`nav.${page}`);
});

describe('routeFromHash', () => {
  it('reads the record of a page', () => {
    expect(routeFromHash('#/suppliers/0000-1')).toEqual({ page: 'suppliers', id: '0000-1' });
    expect(routeFromHash('#/suppliers/new')).toEqual({ page: 'suppliers', id: 'new' });
    expect(routeFromHash('#/suppliers')).toEqual({ page: 'suppliers' });
  });

  it('round-trips through hashOf', () => {
    const route = { page: 'suppliers' as const, id: 'a b/c' };
    expect(routeFromHash(hashOf(route))).toEqual(route);
  });
});

describe('a list with its filters', () => {
  it('reads the filters after the page', () => {
    expect(routeFromHash('#/suppliers?review=overdue&tier=critical')).toEqual({
      page: 'suppliers',
      params: { review: 'overdue', tier: 'critical' },
    });
    expect(routeFromHash('#/assessments?state=submitted')).toEqual({ page: 'assessments', params: { state: 'submitted' } });
  });

  it('writes them back, leaving out the empty ones', () => {
    expect(hashOf({ page: 'assessments', params: { state: 'escalated', assessor: '' } })).toBe('#/assessments?state=escalated');
    expect(hashOf({ page: 'assessments', params: { assessor: 'Olivia Officer' } })).toBe('#/assessments?assessor=Olivia+Officer');
    const route = { page: 'suppliers' as const, params: { search: 'a&b=c' } };
    expect(routeFromHash(hashOf(route))).toEqual(route);
  });
});
