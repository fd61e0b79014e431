import { Suspense, useEffect, useState, type ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, useAuth } from './shared/auth';
import { createQueryClient } from './shared/query';
import { I18nProvider, useI18n } from './i18n';
import { loadMessages, publicRoutes, routes } from './modules';
import { lazyPage } from './modules/shell/lazy-page';

// A cold load fetches the login page only: React, the router and a plain form, no Ant Design (issue
// 14: a phone on a slow line). antd's frame, the console's frame, the workbench and every page (the
// modules' route elements) are chunks of their own; the login page prefetches the first three.
// antd's frame brings every module's strings with it (only the login page's are in the first chunk)
const AntdFrame = lazyPage(() => Promise.all([import('./shared/antd-frame'), loadMessages()]).then(([frame]) => frame), 'AntdFrame');
const AppLayout = lazyPage(() => import('./layout'), 'AppLayout');
const HomePage = lazyPage(() => import('./modules/shell/home'), 'HomePage');

/**
 * Fetches what the first page after login needs at once rather than one chunk after the other (each
 * lazy chunk is found only when the one around it renders): on the login page while the user types,
 * and as soon as a session is known. Not on the public self-check page, whose visitors have no account.
 */
function PrefetchConsole() {
  const { user } = useAuth();
  const { pathname } = useLocation();
  const wanted = user ? true : user === null && pathname === '/login';
  useEffect(() => {
    if (!wanted) return;
    const preload = () => {
      for (const page of [AntdFrame, AppLayout, HomePage]) void page.preload();
    };
    if (user) return preload();
    // on the login page: once the form is painted (fetching and running the chunks blocks the page meanwhile)
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(preload, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [wanted, user]);
  return null;
}

/** Public pages that need no antd (the rest are shown in its frame). */
const WITHOUT_ANTD = new Set(['/login']);

// a plain spinner (index.html styles it): antd's Spin is not loaded yet
const pending = <div className="yy-pending" role="progressbar" aria-busy="true" />;

function DocumentLanguage() {
  const { locale } = useI18n();
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return null;
}

/** Shows its page only to a logged-in user whose role allows `action`. */
function Guard({ action, children }: { action?: string; children: ReactNode }) {
  const { user, can } = useAuth();
  const location = useLocation();
  if (user === undefined) return pending;
  if (user === null) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (action && !can(action)) return <Navigate to="/" replace />;
  return <>{children}</>;
}

/** "/": the workbench, every role's first page. */
function Landing() {
  return <HomePage />;
}

/** The routes of every module: public pages, then the logged-in frame with each page behind its action. */
export function AppRoutes() {
  return (
    <>
      <PrefetchConsole />
      <Routes>
        {publicRoutes.map((r) => (
          <Route
            key={r.path}
            path={r.path}
            element={<Suspense fallback={pending}>{WITHOUT_ANTD.has(r.path) ? r.element : <AntdFrame>{r.element}</AntdFrame>}</Suspense>}
          />
        ))}
        <Route
          element={
            <Guard>
              <Suspense fallback={pending}>
                <AntdFrame>
                  <AppLayout />
                </AntdFrame>
              </Suspense>
            </Guard>
          }
        >
          <Route index element={<Landing />} />
          {routes.map((r) => (
            <Route key={r.path} path={r.path} element={r.action ? <Guard action={r.action}>{r.element}</Guard> : r.element} />
          ))}
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </>
  );
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <DocumentLanguage />
        <AuthProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </AuthProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
