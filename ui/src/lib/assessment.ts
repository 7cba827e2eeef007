// Words for what the core computed about an assessment: a requirement's text
// from the rule set, a service's blocking item and a blocker of the whole
// assessment, in the window's language.
import type { Blocker, BlockingItem, RuleSet, ServiceInput } from './bindings';
import { i18n, t } from './i18n/index.svelte';

/** A contract requirement's text from the rule set (its key if unknown). */
export function requirementText(rules: RuleSet | null, key: string): string {
  const def = rules?.requirements.find((r) => r.key === key);
  return def ? (i18n.language === 'sv' ? def.text_sv : def.text_en) : key;
}

/** What blocks approval of one service. */
export function blockingText(rules: RuleSet | null, item: BlockingItem): string {
  switch (item.kind) {
    case 'requirement_missing':
    case 'requirement_unmarked':
      return t(`blocking.${item.kind}`, { requirement: requirementText(rules, item.key) });
    default:
      return t(`blocking.${item.kind}`);
  }
}

/** What stands in the way of a decision on the assessment. */
export function blockerText(rules: RuleSet | null, blocker: Blocker): string {
  switch (blocker.kind) {
    case 'step1_unrated':
      return t('blocker.step1_unrated', { rated: blocker.rated, criteria: blocker.criteria });
    case 'service_not_assessed':
      return t('blocker.service_not_assessed', { service: blocker.service });
    case 'service':
      return t('blocker.service', { service: blocker.service, item: blockingText(rules, blocker.item) });
    default:
      return t(`blocker.${blocker.kind}`);
  }
}

/** Whether two versions of a service's step 2 say the same. The core leaves
 *  a risk's empty owner out of what it stores, and the order of an object's
 *  keys says nothing: neither makes a saved form read as changed. */
export function sameServiceInput(a: ServiceInput | null | undefined, b: ServiceInput | null | undefined): boolean {
  const comparable = (input: ServiceInput | null | undefined) =>
    input ? canonical({ ...input, risks: input.risks.map((risk) => ({ ...risk, owner: risk.owner ?? '' })) }) : null;
  return JSON.stringify(comparable(a)) === JSON.stringify(comparable(b));
}

// A value with each object's keys in alphabetical order.
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  }
  return value;
}
