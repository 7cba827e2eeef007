// Who is signed in. The core checks every permission itself; the UI shows an
// action only where the core says the user may take it.
import type { Permission, Role, Session, User } from './bindings';
import { detectLanguage, setLanguage } from './i18n/index.svelte';

export const session = $state<{ loaded: boolean; usersExist: boolean; user: User | null; permissions: Permission[]; notice: string }>({
  loaded: false,
  usersExist: true,
  user: null,
  permissions: [],
  // What the sign-in page says first (after a restore, why everyone was signed out).
  notice: '',
});

/** Takes over what the core says about the session, once the window speaks
 * the session's language. */
export async function applySession(s: Session): Promise<void> {
  // Each person's window speaks their own language (else Tillit's, else the
  // operating system's), never the previous person's; their first page is
  // shown in it.
  await setLanguage(s.language ?? detectLanguage(navigator.languages));
  session.usersExist = s.users_exist;
  session.user = s.user;
  session.permissions = s.permissions;
  session.loaded = true;
}

/** Nobody is signed in any more. */
export function signedOut(): void {
  session.user = null;
  session.permissions = [];
}

/** Whether the core lets the signed-in user do `permission`. */
export function may(permission: Permission): boolean {
  return session.permissions.includes(permission);
}

/** Whether the signed-in user holds `role`. */
export function has(role: Role): boolean {
  return session.user?.roles.includes(role) ?? false;
}
