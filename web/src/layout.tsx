import { Suspense, useState } from 'react';
import { UserOutlined } from '@ant-design/icons';
import { Button, ConfigProvider, Dropdown, Grid, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from './shared/auth';
import { useI18n } from './shared/i18n-core';
import { label, roleLabels } from './shared/labels';
import { allowedNav, navIcon, selectedNav } from './nav';
import { LangSwitch } from './shared/lang-switch';
import { PasswordDialog } from './shared/password-form';
import { setLoginNotice } from './modules/shell/login';
import { useChangePassword } from './modules/users/api';

const { Header, Sider, Content } = Layout;

export function AppLayout() {
  const { user, actions, logout } = useAuth();
  const { t, locale } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const [collapsed, setCollapsed] = useState(false);
  const [changing, setChanging] = useState(false);
  const items = allowedNav(actions, user?.role);
  const selected = selectedNav(location.pathname, items);
  const changePassword = useChangePassword();

  if (!user) return null;
  // the workbench first, for every role
  // each entry with its icon: below 1200 px (a tablet) the menu is a strip of icons, names on hover
  const entry = (path: string, text: string) => {
    const Icon = navIcon(path);
    return { key: path, icon: <Icon />, label: <Link to={path}>{text}</Link>, title: text };
  };
  const menuItems = [entry('/', t('menu.home')), ...items.map((n) => entry(n.path, t(n.label)))];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        breakpoint="xl"
        collapsedWidth={narrow ? 0 : 64}
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        onBreakpoint={(broken) => setCollapsed(broken)}
        // English names run longer than Chinese ones ("Random inspections" against 双随机抽查)
        width={locale === 'en' ? 224 : 200}
        zeroWidthTriggerStyle={{ top: 14 }}
        style={narrow && !collapsed ? { position: 'fixed', zIndex: 20, height: '100vh' } : undefined}
      >
        <div style={{ color: '#fff', padding: '16px', fontSize: 18, fontWeight: 600, whiteSpace: 'nowrap', overflow: 'hidden' }}>
          {collapsed ? '颐' : t('app.short')}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : ['/']}
          items={menuItems}
          onClick={() => narrow && setCollapsed(true)}
          data-testid="nav-menu"
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: '#fff',
            padding: narrow ? '0 8px 0 52px' : '0 16px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: narrow ? 'flex-end' : 'space-between',
            gap: 8,
            lineHeight: 'normal',
            height: 'auto',
            minHeight: 64,
            flexWrap: 'wrap',
          }}
        >
          {!narrow && (
            <Typography.Text strong style={{ fontSize: 16 }} ellipsis>
              {t('app.title')}
            </Typography.Text>
          )}
          <Space size={narrow ? 4 : 12} wrap style={{ justifyContent: 'flex-end', padding: '8px 0' }}>
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  // on a phone the name and the role are in this menu, so 退出登录 keeps to the header's one line at 390 px
                  ...(narrow
                    ? [
                        {
                          key: 'who',
                          disabled: true,
                          label: (
                            <span data-testid="menu-user">
                              {user.displayName} · {label(roleLabels, user.role, locale)}
                            </span>
                          ),
                        },
                      ]
                    : []),
                  { key: 'password', label: <span data-testid="menu-change-password">{t('account.changePassword')}</span> },
                ],
                onClick: ({ key }) => {
                  if (key === 'password') setChanging(true);
                },
              }}
            >
              {narrow ? (
                <Button
                  type="text"
                  size="large"
                  icon={<UserOutlined />}
                  data-testid="user-menu"
                  title={`${user.displayName} · ${t('account.menu')}`}
                  aria-label={`${user.displayName} · ${t('account.menu')}`}
                />
              ) : (
                <Button type="text" size="small" data-testid="user-menu" title={t('account.menu')}>
                  <span data-testid="header-user">{user.displayName}</span> ▾
                </Button>
              )}
            </Dropdown>
            {!narrow && (
              <Tag color="blue" data-testid="header-role">
                {label(roleLabels, user.role, locale)}
              </Tag>
            )}
            {!narrow && (
              <Typography.Text type="secondary" data-testid="header-region">
                {user.regionName}
              </Typography.Text>
            )}
            {/* on a phone the language and log-out are touch targets of at least 40 px (large: the language's options 40 px inside a 44 px track) */}
            <ConfigProvider theme={{ components: { Segmented: { controlHeightLG: 44 } } }}>
              <LangSwitch size={narrow ? 'large' : 'small'} />
            </ConfigProvider>
            <Button
              size={narrow ? 'large' : 'small'}
              data-testid="logout"
              onClick={() => {
                void logout().then(() => navigate('/login'));
              }}
            >
              {t('logout')}
            </Button>
          </Space>
        </Header>
        <PasswordDialog
          open={changing}
          title={t('account.changePassword')}
          note={t('account.changeNote')}
          askCurrent
          onClose={() => setChanging(false)}
          onSubmit={async (v) => {
            await changePassword.mutateAsync({ currentPassword: v.currentPassword, newPassword: v.newPassword });
            // every session of the user has ended, this one too: the login page says so
            setChanging(false);
            setLoginNotice('passwordChanged');
            await logout().catch(() => undefined);
            navigate('/login');
          }}
        />
        <Content style={{ margin: narrow ? 8 : 16 }}>
          <div style={{ background: '#fff', padding: narrow ? 12 : 24, borderRadius: 8, minHeight: 360 }}>
            {/* a page's chunk loads here the first time it is opened */}
            <Suspense fallback={<Spin style={{ display: 'block', margin: '80px auto' }} />}>
              <Outlet />
            </Suspense>
          </div>
        </Content>
      </Layout>
    </Layout>
  );
}
