// Pure translation helpers, kept apart from the reactive state so they can be
// unit-tested without a DOM.
import type { Language } from '../bindings';
import { loaders, type Catalogue, type MessageKey } from './messages';

export const languages: readonly Language[] = ['en', 'sv'];

export type Params = Record<string, string | number>;

const loaded: Partial<Record<Language, Catalogue>> = {};

/** Loads the catalogue of `language`, once. */
export async function loadCatalogue(language: Language): Promise<Catalogue> {
  const catalogue = loaded[language] ?? (await loaders[language]());
  loaded[language] = catalogue;
  return catalogue;
}

/** The catalogue of `language`, which must have been loaded. */
export function catalogue(language: Language): Catalogue {
  const found = loaded[language];
  if (!found) throw new Error(`the ${language} catalogue is used before it is loaded`);
  return found;
}

/** The message `key` in `language`, with `{name}` placeholders filled from `params`. */
export function translate(language: Language, key: MessageKey, params: Params = {}): string {
  return catalogue(language)[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The language to start in before the user has chosen one: Swedish when the
 * operating system prefers Swedish, otherwise English. */
export function detectLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'sv') return 'sv';
    if (primary === 'en') return 'en';
  }
  return 'en';
}
