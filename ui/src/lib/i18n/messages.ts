// The message catalogue: every sentence a person reads, in English and
// Swedish, kept in i18n/en.json and i18n/sv.json at the root of the
// repository and read by the core (errors, reasons, reports, the command
// line) and the window alike. `{name}` marks a value filled in by
// `t(key, { name })`. The type of the Swedish loader makes a key missing in
// Swedish a compile error; the core's tests check both files key by key.
//
// Each catalogue is a file of its own in the built UI, loaded when its
// language is first shown: the window starts with one of them, not both.
import type { Language } from '../bindings';
import type english from '../../../../i18n/en.json';

export type MessageKey = keyof typeof english;
export type Catalogue = Record<MessageKey, string>;

export const loaders: Record<Language, () => Promise<Catalogue>> = {
  en: () => import('../../../../i18n/en.json').then((module): Catalogue => module.default),
  sv: () => import('../../../../i18n/sv.json').then((module): Catalogue => module.default),
};
