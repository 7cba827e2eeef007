// Numbers, amounts and dates as each language writes them: Swedish
// "840 000 kr" and "2026-11-29", English "840,000 SEK" and "29 Nov 2026".
// Stored and exchanged values stay ISO 8601 and plain numbers.
import { i18n } from './i18n/index.svelte';
import type { Language, Said } from './bindings';

const locales: Record<Language, string> = { en: 'en-GB', sv: 'sv-SE' };

// Each formatter is made once per language and kept: making one costs far
// more than formatting with it, and a page formats hundreds of values.
const numberFormats = new Map<Language, Intl.NumberFormat>();
const dateFormats = new Map<Language, Intl.DateTimeFormat>();
const moneyFormats = new Map<string, Intl.NumberFormat>();

function kept<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** A number as the current language writes it. */
export function formatNumber(value: number, language: Language = i18n.language): string {
  return kept(numberFormats, language, () => new Intl.NumberFormat(locales[language], { maximumFractionDigits: 2 })).format(value);
}

/** An amount in `currency` (ISO 4217) as the current language writes it;
 *  an unknown currency code is written after the number. */
export function formatMoney(value: number, currency: string, language: Language = i18n.language): string {
  try {
    const format = kept(moneyFormats, `${language} ${currency}`, () =>
      new Intl.NumberFormat(locales[language], {
        style: 'currency',
        currency,
        currencyDisplay: language === 'sv' ? 'symbol' : 'code',
        minimumFractionDigits: 0,
        maximumFractionDigits: 2,
      }),
    );
    return format.format(value);
  } catch {
    return `${formatNumber(value, language)} ${currency}`;
  }
}

/** A calendar date (`YYYY-MM-DD`) as the current language writes it; the
 *  text unchanged when it is not such a date. */
export function formatDate(iso: string | null | undefined, language: Language = i18n.language): string {
  if (!iso) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  if (language === 'sv') return iso;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  const format = kept(dateFormats, language, () =>
    new Intl.DateTimeFormat(locales[language], { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
  );
  return format.format(date);
}

/** `text` if it is a calendar date written YYYY-MM-DD, else null. */
export function isoDate(text: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? text : null;
}

/** A recorded sentence in the current language, where it was recorded in
 *  every language (a detected event's reason); else as it was written. */
export function said(sentence: Said | null | undefined, written: string, language: Language = i18n.language): string {
  return sentence ? sentence[language] : written;
}
