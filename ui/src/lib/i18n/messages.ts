// The message catalogue: every sentence a person reads, in English and
// Swedish, kept in i18n/en.json and i18n/sv.json at the root of the
// repository and read by the core (errors, reasons, reports, the command
// line) and the window alike. `{name}` marks a value filled in by
// `t(key, { name })`. The type of `sv` makes a key missing in Swedish a
// compile error; the core's tests check both files key by key.
import enCatalogue from '../../../../i18n/en.json';
import svCatalogue from '../../../../i18n/sv.json';

export const en = enCatalogue;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

export const sv: Catalogue = svCatalogue;
