import { Navigate } from 'react-router-dom';
import { lazyPage } from '../shell/lazy-page';
import { defineModule } from '../types';

// each page its own chunk, fetched when first opened
const AccountsPage = lazyPage(() => import('./accounts'), 'AccountsPage');
const AccountPage = lazyPage(() => import('./account'), 'AccountPage');
const PendingPage = lazyPage(() => import('./pending'), 'PendingPage');
const ChecksPage = lazyPage(() => import('./checks'), 'ChecksPage');
const MyTimebankPage = lazyPage(() => import('./me'), 'MyTimebankPage');

/** Roles whose menu offers the officer's pages rather than the volunteer's own (all who read the time bank but volunteers). */
const NOT_VOLUNTEER = ['bureau_admin', 'town_officer', 'village_head', 'inspector'] as const;

/**
 * 时间银行 (issue 16): the accounts and their ledgers (redeem, transfer, reverse), the volunteer hours
 * waiting for confirmation or deposit, the ledger checks; a volunteer's own page /timebank/me.
 */
export const timebank = defineModule({
  id: 'timebank',
  messages: () => import('./messages'),
  routes: [
    { path: 'timebank', action: 'timebank.read', element: <AccountsPage /> },
    // the ledger's parent address leads to the list
    { path: 'timebank/accounts', action: 'timebank.read', element: <Navigate to="/timebank" replace /> },
    { path: 'timebank/accounts/:id', action: 'timebank.read', element: <AccountPage /> },
    { path: 'timebank/pending', action: 'timebank.deposit', element: <PendingPage /> },
    { path: 'timebank/checks', action: 'timebank.read', element: <ChecksPage /> },
    { path: 'timebank/me', action: 'timebank.read', element: <MyTimebankPage /> },
  ],
  nav: [
    // a volunteer sees only their own account: their entry is 我的时间银行
    { path: '/timebank', label: 'menu.timebank', action: 'timebank.read', hiddenFor: ['volunteer'] },
    { path: '/timebank/pending', label: 'menu.timebankPending', action: 'timebank.deposit' },
    { path: '/timebank/checks', label: 'menu.timebankChecks', action: 'timebank.read', hiddenFor: ['volunteer'] },
    { path: '/timebank/me', label: 'menu.timebankMe', action: 'timebank.read', hiddenFor: NOT_VOLUNTEER },
  ],
});
