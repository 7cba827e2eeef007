// The ISO 3166-1 countries from the core, loaded once, named in the UI's language.
import type { Country } from './bindings';
import { call } from './ipc';
import { i18n } from './i18n/index.svelte';

let countries = $state<Country[]>([]);
let loading: Promise<void> | null = null;

/** Loads the countries (once). */
export function loadCountries(): Promise<void> {
  loading ??= call('list_countries').then((list) => {
    countries = list;
  });
  return loading;
}

/** The countries sorted by their name in the current language. */
export function sortedCountries(): Country[] {
  const language = i18n.language;
  const name = (c: Country) => (language === 'sv' ? c.name_sv : c.name_en);
  return [...countries].sort((a, b) => name(a).localeCompare(name(b), language));
}

/** The name of `code` in the current language, or the code itself. */
/** A country's name with its code, e.g. "Sweden (SE)", as the core writes
 * it in sentences (`jurisdiction::country_label`); an unknown code as it is. */
export function countryLabel(code: string): string {
  return countries.some((c) => c.code === code) ? `${countryName(code)} (${code})` : code;
}

export function countryName(code: string): string {
  const country = countries.find((c) => c.code === code);
  if (!country) return code;
  return i18n.language === 'sv' ? country.name_sv : country.name_en;
}
