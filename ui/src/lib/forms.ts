// Field errors from the core, matched to form fields and shown in the UI's
// language: in English the core's own precise sentence, in Swedish the
// catalogue's sentence for the error's code.
import { tick } from 'svelte';
import type { AppError, FieldError, Language } from './bindings';
import { toAppError } from './ipc';
import { i18n } from './i18n/index.svelte';

// The save of each form still under way, if any.
const saving = new WeakMap<HTMLFormElement, Promise<void>>();

/** Submits a form: runs `save`; when it fails, returns the error and moves
 * the focus to the first field of this form the error marked invalid.
 * A form submitted again while its save is under way (a double click, Enter
 * pressed twice) saves again once the first save has answered, so the second
 * save is based on what the first one stored instead of being refused as a
 * change made by someone else. The form is `aria-busy` while it saves. */
export async function submitForm(event: SubmitEvent, save: () => Promise<void>): Promise<AppError | null> {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  // A date that is not one is said next to its field; nothing is sent.
  const wrongDate = form.querySelector<HTMLInputElement>('[data-invalid-date]');
  if (wrongDate) {
    wrongDate.focus();
    return { code: 'validation', message: wrongDate.dataset.invalidDate ?? '', language: i18n.language, errors: [] };
  }
  const before = saving.get(form);
  const current = (async () => {
    if (before) await before.catch(() => undefined);
    await save();
  })();
  saving.set(form, current);
  form.setAttribute('aria-busy', 'true');
  try {
    await current;
    return null;
  } catch (reason) {
    const error = toAppError(reason);
    setTimeout(async () => {
      await tick();
      const field = form.querySelector<HTMLElement>('[aria-invalid="true"]');
      if (field) field.focus();
      // A refusal of the whole form is said at its top: bring it into view.
      else form.querySelector<HTMLElement>('[role="alert"]')?.scrollIntoView({ block: 'center' });
    });
    return error;
  } finally {
    if (saving.get(form) === current) {
      saving.delete(form);
      form.removeAttribute('aria-busy');
    }
  }
}

/** The errors of `error` by field name (the first per field). */
export function errorsByField(error: AppError | null): Record<string, FieldError> {
  const byField: Record<string, FieldError> = {};
  for (const e of error?.errors ?? []) {
    byField[e.field] ??= e;
  }
  if (error?.field && !byField[error.field]) {
    byField[error.field] = { field: error.field, code: 'format', message: error.message };
  }
  return byField;
}

/** The core's sentence of `error` when it is in `language`, else nothing
 * (the window then shows only its own heading for the code), so no English
 * sentence reaches a Swedish window. */
export function errorSentence(error: AppError, language: Language): string {
  return error.language === language ? error.message : '';
}

/** The sentence to show next to a field: the core wrote it in the window's
 * language (the exact sentence in English, the code's sentence in Swedish). */
export function fieldMessage(error: FieldError): string {
  return sentence(error.message);
}

/** A message as a sentence: a capital first letter and a full stop (the
 *  core's English messages beside a field may start with the field's
 *  problem in lower case, "is required"). */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed[0]!.toLocaleUpperCase() + trimmed.slice(1);
  return /[.!?:…]$/.test(capital) ? capital : `${capital}.`;
}

/** Today as YYYY-MM-DD in local time. */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
