// Who is signed in on this window, fed by `auth.state`. The core keeps the session per
// connection and decides everything; this store only mirrors it so the app can show the
// setup screen, the sign-in screen or the shell.
//
// - `startSessionFeed(client)` (once, at start-up) fetches `auth.state`, again after the
//   connection comes back (a new connection starts signed out), and installs the one
//   UNAUTHENTICATED guard: when any call fails with UNAUTHENTICATED (the core's idle lock,
//   a renewed connection...), the state is fetched again and, if the core has indeed no
//   session, the app goes to the sign-in screen with the core's message.
// - `signedIn(session)` after auth.setup / auth.signIn / people.redeemInvitation;
//   `lock(reason?)` keeps the person preselected on the sign-in screen; `switchPerson()`
//   returns to the people tiles.
import { create } from 'zustand';
import type { OpName } from '@shared/api/contract';
import type { AuthState, SessionInfo } from '@shared/api/ops/auth';
import type { Permission, Role } from '@shared/auth/permissions';
import { api, type ApiClient } from './client';
import { toApiCallError } from './errors';

export interface PersonRef {
  userId: string;
  name: string;
  role: Role;
}

export interface SessionState {
  /** "loading" until the first `auth.state` answer. */
  status: 'loading' | 'ready';
  setupNeeded: boolean;
  shopName: string | null;
  session: SessionInfo | null;
  idleLockMinutes: number;
  /** Why the last session ended (shown on the sign-in screen), if it did not end by choice. */
  signedOutReason: string | null;
  /** The person to preselect on the sign-in screen after a lock (null: show everyone). */
  lockedPerson: PersonRef | null;
}

const INITIAL: SessionState = {
  status: 'loading',
  setupNeeded: false,
  shopName: null,
  session: null,
  idleLockMinutes: 0,
  signedOutReason: null,
  lockedPerson: null,
};

export const useSessionStore = create<SessionState>(() => INITIAL);

/** Operations whose UNAUTHENTICATED answer is about a PIN typed in a form, not about the session. */
const PIN_CHECKS: ReadonlySet<string> = new Set<OpName>([
  'auth.state',
  'auth.setup',
  'auth.signIn',
  'auth.signOut',
  'auth.changePin',
  'auth.checkOverride',
  'people.redeemInvitation',
]);

// Bumped by every local change of the session, so that an `auth.state` answer that was
// asked for before the change cannot overwrite it.
let generation = 0;

function personOf(session: SessionInfo | null): PersonRef | null {
  return session ? { userId: session.userId, name: session.name, role: session.role } : null;
}

function applyState(state: AuthState, ended?: { reason: string }): void {
  useSessionStore.setState((prev) => {
    const lost = prev.session && !state.session;
    return {
      status: 'ready',
      setupNeeded: state.setupNeeded,
      shopName: state.shopName,
      session: state.session,
      idleLockMinutes: state.idleLockMinutes,
      signedOutReason: state.session ? null : lost ? (ended?.reason ?? 'You were signed out. Sign in again.') : prev.signedOutReason,
      lockedPerson: state.session ? null : lost ? personOf(prev.session) : prev.lockedPerson,
    };
  });
}

/** Fetches `auth.state` and applies it (unless the session changed locally meanwhile). */
export async function refreshSession(client: ApiClient = api(), ended?: { reason: string }): Promise<void> {
  const asked = generation;
  try {
    const state = await client.call('auth.state', {});
    if (asked === generation) applyState(state, ended);
  } catch {
    // The connection is down: the feed fetches again when it is back.
  }
}

/** After a successful auth.setup, auth.signIn or people.redeemInvitation. */
export function signedIn(session: SessionInfo): void {
  generation++;
  useSessionStore.setState({ status: 'ready', setupNeeded: false, session, signedOutReason: null, lockedPerson: null });
  void refreshSession();
}

async function signOutOnCore(): Promise<void> {
  generation++;
  try {
    await api().call('auth.signOut', {});
  } catch {
    // A dropped connection ends the session anyway.
  }
  await refreshSession();
}

/** Locks the window: the person stays preselected on the sign-in screen. */
export function lock(reason: string | null = null): Promise<void> {
  const { session } = useSessionStore.getState();
  useSessionStore.setState({ session: null, signedOutReason: reason, lockedPerson: personOf(session) });
  return signOutOnCore();
}

/** Signs out and returns to the people tiles, for the next person at the counter. */
export function switchPerson(): Promise<void> {
  useSessionStore.setState({ session: null, signedOutReason: null, lockedPerson: null });
  return signOutOnCore();
}

/** Forgets the preselected person (the sign-in screen's "Someone else"). */
export function clearLockedPerson(): void {
  useSessionStore.setState({ lockedPerson: null, signedOutReason: null });
}

/** True when the signed-in person's role has the permission (the core checks again). */
export function can(session: SessionInfo | null, permission: Permission): boolean {
  return !!session && (permission === 'public' || session.permissions.includes(permission));
}

/** The signed-in person's permission, for components. */
export function useCan(permission: Permission): boolean {
  return useSessionStore((s) => can(s.session, permission));
}

/**
 * The one place where UNAUTHENTICATED answers are noticed: wraps `client.call`. Returns
 * the function that restores the original.
 */
function guardUnauthenticated(client: ApiClient): () => void {
  const original = client.call;
  const guarded = (async (op: OpName, input: unknown) => {
    try {
      return await (original as (o: OpName, i: unknown) => Promise<unknown>).call(client, op, input);
    } catch (thrown) {
      const error = toApiCallError(thrown);
      if (error.code === 'UNAUTHENTICATED' && !PIN_CHECKS.has(op) && useSessionStore.getState().session) {
        void refreshSession(client, { reason: error.message });
      }
      throw thrown;
    }
  }) as ApiClient['call'];
  client.call = guarded;
  return () => {
    if (client.call === guarded) client.call = original;
  };
}

/** Subscribes the store to the core; returns the cleanup. Call once at start-up. */
export function startSessionFeed(client: ApiClient = api()): () => void {
  const restore = guardUnauthenticated(client);
  let dropped = false;
  const off = client.onConnection((state) => {
    if (state === 'closed') dropped = true;
    if (state === 'open' && dropped) {
      dropped = false;
      // The new connection has its own session (none, once sign-in is required).
      void refreshSession(client, { reason: 'The connection to the core was renewed. Sign in again.' });
    }
  });
  void refreshSession(client);
  return () => {
    off();
    restore();
  };
}
