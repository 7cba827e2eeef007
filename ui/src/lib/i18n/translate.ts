// Pure translation helpers, kept apart from the reactive state so they can be
// unit-tested without a DOM.
import type { Language } from '../bindings';
import { en, sv, type Catalogue, type MessageKey } from './messages';

export const catalogues: Record<Language, Catalogue> = { en, sv };

export const languages: readonly Language[] = ['en', 'sv'];

export type Params = Record<string, string | number>;

/** The message `key` in `language`, with `{name}` placeholders filled from `params`. */
export function translate(language: Language, key: MessageKey, params: Params = {}): string {
  return catalogues[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
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
