import { defineModule } from '../../platform/module.js';
import { registerFailedPayments } from '../entitlements/payments.queries.js';
import * as m001 from './migrations/001-payments.js';
import { paymentRoutes } from './payments.routes.js';
import { failedUnreissued, markReissued, releaseReissued } from './payments.service.js';
import './payments.settings.js';
import './payments.tables.js';

/** Bank disbursement and reconciliation (R3): approved rolls to the bank, its return files back. */
export const payments = defineModule({
  id: 'payments',
  routes: [paymentRoutes],
  tables: ['payment_batches', 'payment_lines', 'payment_returns'],
  migrations: { '001-payments': m001 },
  actions: {
    // the disbursement file carries full card and ID numbers: its export also needs register.reveal and rolls.read
    'payments.read': { roles: ['bureau_admin', 'town_officer'], zh: '查看代发与回盘', en: 'View disbursements and returns' },
    'payments.reconcile': { roles: ['bureau_admin', 'town_officer'], zh: '导入银行回盘', en: 'Import bank return files' },
  },
  // the rolls' sink pays failed payments again in the next month's roll (entitlements/payments.queries.ts)
  start: () => {
    registerFailedPayments({ failedUnreissued, markReissued, releaseReissued });
  },
});
