// The overview's figures asked for as soon as a sign-in is accepted, beside
// the session: the first page after the sign-in then has them when it is
// put on the page, and the window is built and painted once, with them,
// instead of first without them.
import { call } from './ipc';
import type { Overview, StoredRuleSet } from './bindings';

type OverviewData = [Overview, StoredRuleSet];

let ahead: { answer: Promise<OverviewData>; at: number } | null = null;

/** How long an answer asked for ahead is taken: the page is shown at once
 * after the sign-in, and a page shown later asks again. */
const FRESH_MS = 5000;

function ask(): Promise<OverviewData> {
  return Promise.all([call('overview'), call('current_rule_set')]);
}

/** Asks for the overview now, for the overview page to take when shown. */
export function askOverviewAhead(): void {
  ahead = { answer: ask(), at: performance.now() };
  // A failure is the page's to show, when it takes the answer.
  ahead.answer.catch(() => {});
}

/** The overview asked for ahead (once, and only just now), else asked for now. */
export function overviewData(): Promise<OverviewData> {
  const taken = ahead;
  ahead = null;
  return taken && performance.now() - taken.at < FRESH_MS ? taken.answer : ask();
}
