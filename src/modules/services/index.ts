import { defineModule } from '../../platform/module.js';
import { anomalyRoutes } from './anomalies.routes.js';
import { bedsMealsRoutes } from './beds-meals.routes.js';
import './daily.js';
import { evvRoutes } from './evv.routes.js';
import * as m001 from './migrations/001-services.js';
import * as m002 from './migrations/002-order-facts-indexes.js';
import * as m003 from './migrations/003-order-corrections.js';
import * as m004 from './migrations/004-entitlement-jurisdiction.js';
import { orderRoutes } from './orders.routes.js';
import { providerRoutes } from './providers.routes.js';
import './services.settings.js';
import './services.tables.js';
import { settlementRoutes } from './settlement.routes.js';
import { startServices } from './start.js';

const OFFICERS = ['bureau_admin', 'town_officer'] as const;

/**
 * Home services, family care beds and meal aid (居家上门服务、家庭养老床位、助餐; R6, issue 17):
 * providers (organisations) with their caregivers and certificates, service items priced per
 * jurisdiction, each person's monthly government-purchased entitlement (a sink of the entitlement
 * runs) drawn down by orders, orders verified by time and place at check-in and check-out (a
 * verified event, ../care-events), EVV anomalies with reason, resolution and review codes, the
 * monthly settlement per provider with feedback calls and adjustments, coverage; family care beds;
 * meal points and meals served with the catalogue's price rules.
 */
export const services = defineModule({
  id: 'services',
  routes: [providerRoutes, orderRoutes, evvRoutes, settlementRoutes, bedsMealsRoutes, anomalyRoutes],
  tables: [
    'service_providers',
    'service_caregivers',
    'service_certificates',
    'service_items',
    'service_clients',
    'service_entitlements',
    'service_orders',
    'service_order_history',
    'service_order_corrections',
    'service_anomalies',
    'service_settlements',
    'service_settlement_lines',
    'service_feedback_calls',
    'family_care_beds',
    'meal_points',
    'meal_servings',
  ],
  migrations: { '001-services': m001, '002-order-facts-indexes': m002, '003-order-corrections': m003, '004-entitlement-jurisdiction': m004 },
  // a provider's reach (the persons it serves) and the entitlement runs' sink (start.ts)
  start: startServices,
  actions: {
    'services.read': {
      roles: [...OFFICERS, 'village_head', 'provider', 'hotline_operator', 'hotline_supervisor', 'inspector'],
      zh: '查看居家服务（服务商、工单、异常、结算、床位、助餐）',
      en: 'View home services (providers, orders, exceptions, settlements, beds, meals)',
    },
    'services.manage': { roles: [...OFFICERS], zh: '管理服务商、服务项目价格与助餐点', en: 'Manage providers, service items and prices, meal points' },
    'services.staff': { roles: [...OFFICERS, 'provider'], zh: '管理护理员、证书与服务对象', en: 'Manage caregivers, certificates and clients' },
    'services.order': { roles: [...OFFICERS, 'village_head', 'provider'], zh: '下单、派单与取消服务工单', en: 'Create, assign and cancel service orders' },
    'services.visit': { roles: ['provider', 'caregiver'], zh: '上门签到签退', en: 'Check in and out of home visits' },
    'services.rate': {
      roles: [...OFFICERS, 'village_head', 'hotline_operator', 'hotline_supervisor', 'provider', 'caregiver'],
      zh: '记录老人或家属的服务评价',
      en: "Record the elder's or family's rating",
    },
    'services.resolve': { roles: ['provider'], zh: '说明核验异常（处理代码）', en: 'Resolve visit exceptions with a code' },
    'services.review': { roles: [...OFFICERS], zh: '审核核验异常与回访', en: 'Review exceptions and feedback calls' },
    'services.feedback': {
      roles: [...OFFICERS, 'hotline_operator', 'hotline_supervisor'],
      zh: '回访抽查（服务是否提供）',
      en: 'Make feedback calls (was the care given?)',
    },
    'services.settle': { roles: ['bureau_admin'], zh: '服务商月度结算（关账、调整）', en: 'Settle providers’ months (close, adjust)' },
    'services.beds': { roles: [...OFFICERS, 'provider'], zh: '管理家庭养老床位', en: 'Manage family care beds' },
    'services.meals': { roles: [...OFFICERS, 'provider'], zh: '记录助餐', en: 'Record meals served' },
  },
});
