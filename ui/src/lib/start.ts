// What the window needs before its first paint: who is signed in, and the
// catalogue of the language it speaks. Asked before the page is built, so
// that the first thing painted is the page itself (the sign-in form, or the
// signed-in person's page), not a shell that waits for it.
import type { AppError } from './bindings';
import { call, toAppError } from './ipc';
import { detectLanguage, setLanguage } from './i18n/index.svelte';
import { loadCatalogue } from './i18n/translate';
import { applySession } from './session.svelte';

/** Why the window could not learn who is signed in, if it could not. */
export interface Started {
  error: AppError | null;
}

export async function start(): Promise<Started> {
  // Most often the session's language is the operating system's: its
  // catalogue is loaded while the core is asked.
  loadCatalogue(detectLanguage(navigator.languages)).catch(() => undefined);
  try {
    // The session names the language: the person's, else Tillit's.
    await applySession(await call('session'));
    return { error: null };
  } catch (reason) {
    const error = toAppError(reason);
    const settings = await call('get_ui_settings').catch(() => null);
    await setLanguage(settings?.language ?? detectLanguage(navigator.languages));
    return { error };
  }
}
