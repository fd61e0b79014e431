import { defineModule } from '../../platform/module.js';
import './check.js';
import { registerTimebankSink } from './sink.js';
import { timebankRoutes } from './timebank.routes.js';
import './timebank.settings.js';
import './timebank.tables.js';
import * as m001 from './migrations/001-timebank.js';

const OFFICERS = ['bureau_admin', 'town_officer'] as const;

/**
 * The time bank (时间银行, R10): volunteers' accounts, hours deposited from confirmed verified events
 * (../care-events), redemptions for services or goods, transfers to a relative, all in a
 * double-entry, append-only ledger that never lets a holder's balance go negative; a daily check
 * that every account and the whole ledger balance.
 */
export const timebank = defineModule({
  id: 'timebank',
  routes: [timebankRoutes],
  tables: ['timebank_accounts', 'timebank_entries', 'timebank_lines', 'timebank_checks'],
  migrations: { '001-timebank': m001 },
  // a volunteer's confirmed event deposits its hours (care-events' confirmation sink)
  start: registerTimebankSink,
  actions: {
    'timebank.read': { roles: [...OFFICERS, 'village_head', 'volunteer', 'inspector'], zh: '查看时间银行账户与流水', en: 'View time-bank accounts and ledger' },
    'timebank.deposit': { roles: [...OFFICERS, 'village_head'], zh: '存入已确认的志愿服务时长', en: 'Deposit confirmed volunteer hours' },
    'timebank.redeem': { roles: [...OFFICERS, 'village_head'], zh: '兑换服务或物品', en: 'Redeem hours for services or goods' },
    'timebank.transfer': { roles: [...OFFICERS, 'village_head', 'volunteer'], zh: '转赠时长给亲属', en: 'Transfer hours to a relative' },
    'timebank.manage': { roles: [...OFFICERS], zh: '管理时间银行（开户、冲正、对账）', en: 'Manage the time bank (accounts, reversals, checks)' },
  },
});
