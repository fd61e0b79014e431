import { defineModule } from '../../platform/module.js';
import { alarmRoutes } from './alarms.routes.js';
import './alarms.settings.js';
import './alarms.tables.js';
import { deviceRoutes } from './devices.routes.js';
import { hotlineRoutes } from './hotline.routes.js';
import { ingestRoutes } from './ingest.routes.js';
import * as m001 from './migrations/001-alarms.js';
import * as m002 from './migrations/002-ingest-reject-buckets.js';
import { reportRoutes } from './reports.routes.js';
import { serveAlarms } from './serve.js';

const OFFICERS = ['bureau_admin', 'town_officer'] as const;
const DESK = ['hotline_operator', 'hotline_supervisor'] as const;

/**
 * Smart monitoring and the 24-hour hotline (智能监测与12349热线; R7, issue 18): devices serving a
 * person (红绿双键, call terminals, mattresses, bracelets, door sensors) and their state; events over
 * MQTT (QoS 1, a persistent session, acknowledged after commit) and vendors' signed HTTP, stored once
 * per device message; alarm rules in the shared rule language with effective hours, silence and
 * aggregation windows, per jurisdiction and per person; the alarm's lifecycle with every step timed
 * and escalation when nobody acknowledges; the operators' live console; calls as tickets with a
 * knowledge base; return visits; reports against the response-time targets.
 */
export const alarms = defineModule({
  id: 'alarms',
  routes: [ingestRoutes, deviceRoutes, alarmRoutes, hotlineRoutes, reportRoutes],
  tables: [
    'alarm_vendors',
    'alarm_devices',
    'alarm_events',
    'alarm_rejects',
    'alarm_nonces',
    'alarms',
    'alarm_steps',
    'alarm_rule_overrides',
    'hotline_contacts',
    'hotline_tickets',
    'hotline_callbacks',
    'hotline_articles',
  ],
  migrations: { '001-alarms': m001, '002-ingest-reject-buckets': m002 },
  // the MQTT subscriber (when MQTT_URL is set) and the clock: escalations, timed rules, nonce expiry
  serve: serveAlarms,
  actions: {
    'alarms.read': {
      roles: [...OFFICERS, ...DESK, 'inspector'],
      zh: '查看告警、设备与事件',
      en: 'View alarms, devices and events',
    },
    'alarms.handle': { roles: [...DESK], zh: '接警、处置与办结告警', en: 'Acknowledge, act on and resolve alarms' },
    'alarms.supervise': {
      roles: ['hotline_supervisor', 'bureau_admin'],
      zh: '值班监控（坐席与队列、升级告警）',
      en: 'Supervise the shift (operators, queue, escalations)',
    },
    'alarms.devices': {
      roles: [...OFFICERS, 'hotline_supervisor', 'provider'],
      zh: '登记与停用设备、调整个人告警规则',
      en: 'Register and retire devices, change a person’s alarm rules',
    },
    'alarms.vendors': { roles: ['bureau_admin'], zh: '管理设备厂商平台密钥', en: 'Manage device vendors’ platform keys' },
    'alarms.reports': {
      roles: [...OFFICERS, 'hotline_supervisor', 'inspector'],
      zh: '查看告警与热线报表',
      en: 'View alarm and hotline reports',
    },
    'hotline.read': {
      roles: [...OFFICERS, ...DESK, 'inspector'],
      zh: '查看热线工单、回访与知识库',
      en: 'View hotline tickets, return calls and the knowledge base',
    },
    'hotline.handle': { roles: [...DESK], zh: '登记来电工单、回访', en: 'Record calls as tickets, make return calls' },
    'hotline.contacts': {
      roles: [...OFFICERS, ...DESK, 'grid_worker'],
      zh: '查看与维护紧急联系人',
      en: 'View and keep emergency contacts',
    },
    'hotline.knowledge': { roles: ['hotline_supervisor', 'bureau_admin'], zh: '维护热线知识库', en: 'Keep the hotline knowledge base' },
  },
});
