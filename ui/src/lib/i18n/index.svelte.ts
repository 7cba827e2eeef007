// The current language, as reactive state: every `t(...)` in a template updates
// when the language changes.
import type { Language } from '../bindings';
import type { MessageKey } from './messages';
import { translate, type Params } from './translate';

let current = $state<Language>('en');

export const i18n = {
  get language(): Language {
    return current;
  },
  set language(language: Language) {
    current = language;
    document.documentElement.lang = language;
  },
};

/** The message `key` in the current language. */
export function t(key: MessageKey, params?: Params): string {
  return translate(current, key, params);
}

export type { MessageKey } from './messages';
export { languages, detectLanguage } from './translate';
