import { lazyPage } from '../shell/lazy-page';
import { defineModule } from '../types';

// each page its own chunk, fetched when first opened
const PaymentsPage = lazyPage(() => import('./payments'), 'PaymentsPage');
const RollPaymentsPage = lazyPage(() => import('./roll-payments'), 'RollPaymentsPage');

/** 代发与回盘: approved rolls to the bank as its disbursement file, and its return file back. */
export const payments = defineModule({
  id: 'payments',
  messages: () => import('./messages'),
  routes: [
    { path: 'payments', action: 'payments.read', element: <PaymentsPage /> },
    { path: 'payments/:rollId', action: 'payments.read', element: <RollPaymentsPage /> },
  ],
  nav: [{ path: '/payments', label: 'menu.payments', action: 'payments.read' }],
});
