import { lazy } from 'react';
import { defineModule } from '../types';
import { en, zh } from './messages';

// each page its own chunk, fetched when first opened
const PaymentsPage = lazy(() => import('./payments').then((m) => ({ default: m.PaymentsPage })));
const RollPaymentsPage = lazy(() => import('./roll-payments').then((m) => ({ default: m.RollPaymentsPage })));

/** 代发与回盘: approved rolls to the bank as its disbursement file, and its return file back. */
export const payments = defineModule({
  id: 'payments',
  messages: { zh, en },
  routes: [
    { path: 'payments', action: 'payments.read', element: <PaymentsPage /> },
    { path: 'payments/:rollId', action: 'payments.read', element: <RollPaymentsPage /> },
  ],
  nav: [{ path: '/payments', label: 'menu.payments', action: 'payments.read' }],
});
