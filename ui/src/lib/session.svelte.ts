// Who is signed in. The core checks every permission itself; the UI uses the
// roles only to show the actions a user may take.
import type { Role, Session, User } from './bindings';

export const session = $state<{ loaded: boolean; usersExist: boolean; user: User | null; notice: string }>({
  loaded: false,
  usersExist: true,
  user: null,
  // What the sign-in page says first (after a restore, why everyone was signed out).
  notice: '',
});

/** Takes over what the core says about the session. */
export function applySession(s: Session): void {
  session.usersExist = s.users_exist;
  session.user = s.user;
  session.loaded = true;
}

/** Whether the signed-in user holds `role`. */
export function has(role: Role): boolean {
  return session.user?.roles.includes(role) ?? false;
}
