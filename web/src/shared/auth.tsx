import { createContext, lazy, Suspense, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, request, setCsrfToken, setUnauthorizedHandler, type Session, type User } from './api';

// antd comes with the form, in its own chunk: the login page's cold load needs none of it (issue 14)
const ForcedPasswordChange = lazy(() => import('./forced-change').then((m) => ({ default: m.FramedForcedPasswordChange })));

interface Auth {
  /** undefined while the session is being probed */
  user: User | null | undefined;
  actions: string[];
  can: (action: string) => boolean;
  /** the password was set by an administrator: only the change-password form is shown until it is changed */
  mustChangePassword: boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const queryClient = useQueryClient();

  const accept = useCallback(
    (s: Session | null) => {
      setCsrfToken(s?.csrfToken ?? null);
      // what one user loaded is never shown to the next
      if (s === null) queryClient.clear();
      setSession(s);
    },
    [queryClient],
  );

  useEffect(() => {
    // A 401 anywhere ends the session; the route guard then shows /login.
    setUnauthorizedHandler(() => accept(null));
    request<Session>('/api/auth/me', { noAuthRedirect: true })
      .then(accept)
      .catch((e: unknown) => {
        if (!(e instanceof ApiError) || e.status !== 401) console.error(e);
        accept(null);
      });
  }, [accept]);

  // Logging in and out are the session's own mutations: what they change is the session, which
  // `accept` sets (and on the way out clears every query, so the next user sees nothing of this one's).
  const loggingIn = useMutation({
    mutationFn: (c: { username: string; password: string }) => request<Session>('/api/auth/login', { method: 'POST', body: c, noAuthRedirect: true }),
    onSuccess: accept,
  });
  const loggingOut = useMutation({
    mutationFn: () => request('/api/auth/logout', { method: 'POST', body: {}, noAuthRedirect: true }),
    onSettled: () => accept(null),
  });
  const { mutateAsync: logIn } = loggingIn;
  const { mutateAsync: logOut } = loggingOut;

  const login = useCallback(
    async (username: string, password: string) => {
      await logIn({ username, password });
    },
    [logIn],
  );

  const logout = useCallback(async () => {
    await logOut();
  }, [logOut]);

  const value = useMemo<Auth>(() => {
    const actions = session?.actions ?? [];
    return {
      user: session === undefined ? undefined : (session?.user ?? null),
      actions,
      can: (a) => actions.includes(a),
      mustChangePassword: session?.mustChangePassword ?? false,
      login,
      logout,
    };
  }, [session, login, logout]);

  // The server answers nothing else until the password is changed; the console shows nothing else.
  // The change ends every session: back to the login page (the router's guard, once mounted).
  return (
    <AuthContext.Provider value={value}>
      {session?.mustChangePassword ? (
        <Suspense fallback={null}>
          <ForcedPasswordChange username={session.user.username} onChanged={() => accept(null)} onLogout={() => void logout()} />
        </Suspense>
      ) : (
        children
      )}
    </AuthContext.Provider>
  );
}

export function useAuth(): Auth {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
