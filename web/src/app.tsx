import { useEffect, useState, type ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth';
import { createQueryClient } from './query';
import { I18nProvider, useI18n } from './i18n';
import { AppLayout } from './layout';
import { allowedNav } from './nav';
import { LoginPage } from './pages/login';
import { HomePage } from './pages/home';
import { RegisterPage } from './pages/register';
import { ProfilePage } from './pages/profile';
import { ImportsPage } from './pages/imports';
import { ImportHistoryPage } from './pages/import-history';
import { ConflictsPage } from './pages/conflicts';
import { AuditPage } from './pages/audit';
import { UsersPage } from './pages/users';
import { SettingsPage } from './pages/settings';
import { CataloguePage } from './pages/catalogue';
import { RunsPage } from './pages/runs';
import { RunDetailPage } from './pages/run-detail';
import { RollsPage } from './pages/rolls';
import { RollDetailPage } from './pages/roll-detail';
import { SelfCheckPage } from './pages/self-check';

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

/** "/": the first page the role may open, or the workbench for roles whose modules come later. */
function Landing() {
  const { actions } = useAuth();
  const first = allowedNav(actions)[0];
  return first ? <Navigate to={first.path} replace /> : <HomePage />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      {/* public: the 养老顾问 self-check needs no session */}
      <Route path="/self-check" element={<SelfCheckPage />} />
      <Route element={<Guard><AppLayout /></Guard>}>
        <Route index element={<Landing />} />
        <Route path="home" element={<HomePage />} />
        <Route path="register" element={<Guard action="register.read"><RegisterPage /></Guard>} />
        <Route path="register/:id" element={<Guard action="register.read"><ProfilePage /></Guard>} />
        <Route path="imports" element={<Guard action="register.import"><ImportsPage /></Guard>} />
        <Route path="imports/history" element={<Guard action="register.import"><ImportHistoryPage /></Guard>} />
        <Route path="conflicts" element={<Guard action="register.resolve_conflict"><ConflictsPage /></Guard>} />
        <Route path="catalogue" element={<Guard action="catalogue.read"><CataloguePage /></Guard>} />
        <Route path="runs" element={<Guard action="entitlements.read"><RunsPage /></Guard>} />
        <Route path="runs/:id" element={<Guard action="entitlements.read"><RunDetailPage /></Guard>} />
        <Route path="rolls" element={<Guard action="rolls.read"><RollsPage /></Guard>} />
        <Route path="rolls/:id" element={<Guard action="rolls.read"><RollDetailPage /></Guard>} />
        <Route path="audit" element={<Guard action="audit.read"><AuditPage /></Guard>} />
        <Route path="users" element={<Guard action="users.read"><UsersPage /></Guard>} />
        <Route path="settings" element={<Guard action="settings.manage"><SettingsPage /></Guard>} />
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
