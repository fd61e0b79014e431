import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, request, setCsrfToken, setUnauthorizedHandler, type Session, type User } from './api';

interface Auth {
  /** undefined while the session is being probed */
  user: User | null | undefined;
  actions: string[];
  can: (action: string) => boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const queryClient = useQueryClient();

  const accept = useCallback((s: Session | null) => {
    setCsrfToken(s?.csrfToken ?? null);
    // what one user loaded is never shown to the next
    if (s === null) queryClient.clear();
    setSession(s);
  }, [queryClient]);

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

  const login = useCallback(async (username: string, password: string) => {
    const s = await request<Session>('/api/auth/login', { method: 'POST', body: { username, password }, noAuthRedirect: true });
    accept(s);
  }, [accept]);

  const logout = useCallback(async () => {
    try {
      await request('/api/auth/logout', { method: 'POST', body: {}, noAuthRedirect: true });
    } finally {
      accept(null);
    }
  }, [accept]);

  const value = useMemo<Auth>(() => {
    const actions = session?.actions ?? [];
    return {
      user: session === undefined ? undefined : (session?.user ?? null),
      actions,
      can: (a) => actions.includes(a),
      login,
      logout,
    };
  }, [session, login, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

