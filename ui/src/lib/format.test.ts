import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, formatNumber, isoDate } from './format';

describe('formats per language', () => {
  it('writes numbers with the language’s separators', () => {
    expect(formatNumber(840000, 'en')).toBe('840,000');
    // Swedish groups with a (narrow) no-break space and uses a decimal comma.
    expect(formatNumber(840000.5, 'sv').replace(/\s/g, ' ')).toBe('840 000,5');
  });

  it('writes amounts in their currency', () => {
    expect(formatMoney(840000, 'SEK', 'en').replace(/\s/g, ' ')).toBe('SEK 840,000');
    expect(formatMoney(840000, 'SEK', 'sv').replace(/\s/g, ' ')).toBe('840 000 kr');
    expect(formatMoney(12.5, 'XQZ', 'en')).toContain('12.5');
  });

  it('writes dates unambiguously', () => {
    expect(formatDate('2026-11-29', 'sv')).toBe('2026-11-29');
    expect(formatDate('2026-11-29', 'en')).toBe('29 Nov 2026');
    expect(formatDate('', 'en')).toBe('');
    expect(formatDate('not a date', 'en')).toBe('not a date');
  });
});

describe('isoDate', () => {
  it('takes a calendar date written YYYY-MM-DD, and nothing else', () => {
    expect(isoDate('2028-02-29')).toBe('2028-02-29');
    for (const wrong of ['2027-02-29', '2026-13-01', '11/29/2026', '2026-1-5', '', '2026-11-29x']) expect(isoDate(wrong)).toBeNull();
  });
});
