// The one way the UI talks to the core. The command names, their arguments and
// their results come from the generated `bindings.ts`, so a call that does not
// match the Rust side does not type-check.
import { invoke } from '@tauri-apps/api/core';
import type { AppError, Commands, ErrorCode } from './bindings';

export type Command = keyof Commands;
type Args<C extends Command> = Commands[C]['args'];
type NoArgs<C extends Command> = keyof Args<C> extends never ? true : false;

// A record, not an array: the compiler then insists on every code the Rust
// side declares, so a new code cannot be forgotten here.
const knownCodes: Record<ErrorCode, true> = {
  validation: true,
  not_found: true,
  not_allowed: true,
  locked: true,
  not_signed_in: true,
  forbidden: true,
  wrong_password: true,
  database_too_new: true,
  not_a_tillit_database: true,
  database_missing: true,
  database: true,
  busy: true,
  disk_full: true,
  damaged: true,
  read_only: true,
  io: true,
  audit_mismatch: true,
  backup_refused: true,
  locked_out: true,
  stale: true,
  internal: true,
};

/** Every error code of the core. */
export const errorCodes = Object.keys(knownCodes) as ErrorCode[];

/** Whether `value` has the shape of the core's `{ code, message, field? }`. */
export function isAppError(value: unknown): value is AppError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.message === 'string' &&
    typeof v.code === 'string' &&
    Object.hasOwn(knownCodes, v.code) &&
    (v.language === 'en' || v.language === 'sv') &&
    (v.field === undefined || typeof v.field === 'string')
  );
}

/** Any rejection as an `AppError`, so every caller handles one shape. */
export function toAppError(reason: unknown): AppError {
  if (isAppError(reason)) return reason;
  const message = reason instanceof Error ? reason.message : String(reason);
  return { code: 'internal', message, language: 'en' };
}

let onSignedOut: ((error: AppError) => void) | null = null;

/** What to do when the core says nobody is signed in any more (a team
 * server's session ended): the window goes back to the sign-in page. */
export function whenSignedOut(handler: (error: AppError) => void): void {
  onSignedOut = handler;
}

/** Calls a command of the core's contract through the window's one
 * command, `call`; rejects with an `AppError`. */
export async function call<C extends Command>(
  command: C,
  ...args: NoArgs<C> extends true ? [] : [Args<C>]
): Promise<Commands[C]['result']> {
  try {
    return await invoke<Commands[C]['result']>('call', { command, args: args[0] ?? {} });
  } catch (reason) {
    const error = toAppError(reason);
    if (error.code === 'not_signed_in') onSignedOut?.(error);
    throw error;
  }
}
