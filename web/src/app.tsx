import { Suspense, useEffect, useState, type ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, useAuth } from './shared/auth';
import { createQueryClient } from './shared/query';
import { I18nProvider, useI18n } from './i18n';
import { publicRoutes, routes } from './modules';
import { lazyPage } from './modules/shell/lazy-page';

// The login page is all a cold load needs: the frame, the workbench and every page (the modules'
// route elements) are chunks of their own, fetched after login (issue 14: a phone on a slow line).
const AppLayout = lazyPage(() => import('./layout'), 'AppLayout');
const HomePage = lazyPage(() => import('./modules/shell/home'), 'HomePage');

const pending = <Spin style={{ display: 'block', marginTop: 120 }} />;

function Localised({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  useEffect(() => {
    dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
    document.documentElement.lang = locale;
  }, [locale]);
  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#c0392b' } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** Shows its page only to a logged-in user whose role allows `action`. */
function Guard({ action, children }: { action?: string; children: ReactNode }) {
  const { user, can } = useAuth();
  const location = useLocation();
  if (user === undefined) return <Spin style={{ display: 'block', marginTop: 120 }} />;
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
    <Routes>
      {publicRoutes.map((r) => (
        <Route key={r.path} path={r.path} element={<Suspense fallback={pending}>{r.element}</Suspense>} />
      ))}
      <Route
        element={
          <Guard>
            <Suspense fallback={pending}>
              <AppLayout />
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
  );
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <Localised>
          <AuthProvider>
            <BrowserRouter>
              <AppRoutes />
            </BrowserRouter>
          </AuthProvider>
        </Localised>
      </I18nProvider>
    </QueryClientProvider>
  );
}
