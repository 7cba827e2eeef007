// The current language, as reactive state: every `t(...)` in a template updates
// when the language changes.
import type { Language } from '../bindings';
import type { MessageKey } from './messages';
import { catalogue, loadCatalogue, translate, type Params } from './translate';

let current = $state<Language>('en');

export const i18n = {
  get language(): Language {
    return current;
  },
};

/** Shows the window in `language` once its catalogue is loaded (at once when
 * it has been before); until then the page keeps the language it has. */
export async function setLanguage(language: Language): Promise<void> {
  await loadCatalogue(language);
  current = language;
  document.documentElement.lang = language;
}

/** The message `key` in the current language. */
export function t(key: MessageKey, params?: Params): string {
  return translate(current, key, params);
}

/** Whether the catalogue has a message `key`. */
export function hasMessage(key: string): key is MessageKey {
  return key in catalogue(current);
}

export type { MessageKey } from './messages';
export { languages, detectLanguage } from './translate';
