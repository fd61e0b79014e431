import ExcelJS from 'exceljs';
import { addSheet } from '../../platform/xlsx.js';
import { ALARM_KIND_WORDS, TICKET_KIND_WORDS } from './alarms.vocabulary.js';
import type { AlarmReport, TimeFigures } from './reports.schema.js';

/**
 * The alarm and hotline report as a workbook (告警与热线报表), in the viewer's language: a summary
 * sheet (figures with their targets and status in words), alarms by kind, by region, tickets by
 * kind. Counts only; the layout is platform/xlsx.ts's (title, note, frozen header).
 */

type Lang = 'zh' | 'en';

const words = (table: Record<string, { zh: string; en: string }>, key: string, lang: Lang) => table[key]?.[lang] ?? key;

/** Seconds in words: 45 秒 / 3 分 20 秒 / 1 小时 5 分. */
export function durationWords(seconds: number | null, lang: Lang): string {
  if (seconds === null) return '—';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (lang === 'zh') return h ? `${h} 小时 ${m} 分` : m ? `${m} 分 ${s} 秒` : `${s} 秒`;
  return h ? `${h} h ${m} min` : m ? `${m} min ${s} s` : `${s} s`;
}

const limit = (seconds: number, lang: Lang) =>
  seconds >= 120 && seconds % 60 === 0 ? (lang === 'zh' ? `${seconds / 60} 分钟` : `${seconds / 60} min`) : lang === 'zh' ? `${seconds} 秒` : `${seconds} s`;

/** A target's name: 60 秒内接警 / Acknowledged within 60 s. */
export function targetLabel(key: string, seconds: number, lang: Lang): string {
  if (key === 'attend') return lang === 'zh' ? `${limit(seconds, lang)}内到场处置（紧急与跌倒）` : `Emergencies attended within ${limit(seconds, lang)}`;
  return lang === 'zh' ? `${limit(seconds, lang)}内接警` : `Acknowledged within ${limit(seconds, lang)}`;
}

const share = (permille: number | null) => (permille === null ? '—' : `${(permille / 10).toFixed(1)}%`);

interface Line {
  label: string;
  value: string | number;
  target: string;
  status: string;
}

export async function reportXlsx(r: AlarmReport, lang: Lang, exportedBy: string): Promise<Buffer> {
  const zh = lang === 'zh';
  const L = (z: string, e: string) => (zh ? z : e);
  const times = (name: string, f: TimeFigures): Line[] => [
    {
      label: L(`${name}：中位数`, `${name}: median`),
      value: durationWords(f.medianSeconds, lang),
      target: '',
      status: L(`共 ${f.count} 起`, `${f.count} alarms`),
    },
    { label: L(`${name}：90 分位`, `${name}: 90th percentile`), value: durationWords(f.p90Seconds, lang), target: '', status: '' },
  ];
  const statusOf = (met: boolean | null) => (met === null ? L('无数据', 'No data') : met ? L('达标', 'Met') : L('未达标', 'Not met'));
  const lines: Line[] = [
    { label: L('告警总数', 'Alarms'), value: r.alarms.total, target: '', status: L(`未办结 ${r.alarms.open}`, `${r.alarms.open} open`) },
    ...times(L('接警用时', 'Acknowledgement'), r.ack),
    ...times(L('办结用时', 'Resolution'), r.resolution),
    ...times(L('紧急告警到场处置用时', 'Emergencies attended'), r.attend),
    ...r.targets.map((t) => ({
      label: targetLabel(t.key, t.limitSeconds, lang),
      value: share(t.sharePermille),
      target: share(t.targetPermille),
      status: `${statusOf(t.met)}（${zh ? t.zh : t.en}）`,
    })),
    {
      label: L('误报占比（已办结中）', 'False alarms (of resolved)'),
      value: share(r.outcomes.falseSharePermille),
      target: '',
      status: L(
        `办结 ${r.outcomes.resolved}：真实 ${r.outcomes.real}、误报 ${r.outcomes.falseAlarms}、测试 ${r.outcomes.tests}`,
        `${r.outcomes.resolved} resolved: ${r.outcomes.real} real, ${r.outcomes.falseAlarms} false, ${r.outcomes.tests} tests`,
      ),
    },
    { label: L('升级至全体坐席', 'Escalated to all operators'), value: r.escalations.toAll, target: '', status: '' },
    { label: L('升级至值班长', 'Escalated to the supervisor'), value: r.escalations.toSupervisor, target: '', status: '' },
    {
      label: L('当前离线设备', 'Devices offline now'),
      value: r.devices.offline,
      target: '',
      status: L(`在用设备 ${r.devices.active}`, `${r.devices.active} active devices`),
    },
    { label: L('热线工单', 'Hotline tickets'), value: r.tickets.total, target: '', status: '' },
    {
      label: L('投诉按期办结', 'Complaints closed in time'),
      value: share(r.complaints.inTimeSharePermille),
      target: '',
      status: L(
        `投诉 ${r.complaints.total}：按期 ${r.complaints.closedInTime}、逾期办结 ${r.complaints.closedLate}、逾期未结 ${r.complaints.openOverdue}、办理中 ${r.complaints.openInTime}`,
        `${r.complaints.total} complaints: ${r.complaints.closedInTime} in time, ${r.complaints.closedLate} late, ${r.complaints.openOverdue} overdue, ${r.complaints.openInTime} open`,
      ),
    },
    {
      label: L('回访（本期到期）', 'Return calls due in the period'),
      value: r.callbacks.due,
      target: '',
      status: L(
        `已回访 ${r.callbacks.done}、联系不上 ${r.callbacks.unreachable}、待回访 ${r.callbacks.open}`,
        `${r.callbacks.done} done, ${r.callbacks.unreachable} unreachable, ${r.callbacks.open} to call`,
      ),
    },
  ];

  const title = L(`${r.regionName}告警与热线报表（${r.from} 至 ${r.to}）`, `Alarm and hotline report, ${r.regionName}, ${r.from} to ${r.to}`);
  const note = L(
    `期间按北京时间计；导出人：${exportedBy}；导出时间：${r.at}；仅含统计数，不含个人信息`,
    `Dates in Beijing time; exported by ${exportedBy} at ${r.at}; counts only, no personal data`,
  );
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Yiyang';
  addSheet(wb, {
    title,
    note,
    sheetName: L('概要', 'Summary'),
    columns: [
      { header: L('指标', 'Figure'), width: 30, value: (l: Line) => l.label },
      { header: L('本期', 'Period'), width: 16, value: (l: Line) => l.value },
      { header: L('目标', 'Target'), width: 10, value: (l: Line) => l.target },
      { header: L('状态', 'Status'), width: 70, value: (l: Line) => l.status },
    ],
    rows: lines,
  });
  addSheet(wb, {
    title,
    note,
    sheetName: L('按类型', 'By kind'),
    columns: [
      { header: L('告警类型', 'Alarm kind'), width: 24, value: (k: { kind: string; count: number }) => words(ALARM_KIND_WORDS, k.kind, lang) },
      { header: L('告警数', 'Alarms'), width: 10, value: (k: { kind: string; count: number }) => k.count },
    ],
    rows: r.alarms.byKind,
  });
  addSheet(wb, {
    title,
    note,
    sheetName: L('按地区', 'By region'),
    columns: [
      { header: L('地区', 'Region'), width: 20, value: (x: AlarmReport['alarms']['byRegion'][number]) => x.regionName },
      { header: L('地区代码', 'Code'), width: 14, value: (x: AlarmReport['alarms']['byRegion'][number]) => x.regionCode },
      { header: L('告警数', 'Alarms'), width: 10, value: (x: AlarmReport['alarms']['byRegion'][number]) => x.alarms },
      { header: L('其中紧急与跌倒', 'Emergencies and falls'), width: 14, value: (x: AlarmReport['alarms']['byRegion'][number]) => x.emergencies },
      { header: L('热线工单', 'Tickets'), width: 10, value: (x: AlarmReport['alarms']['byRegion'][number]) => x.tickets },
      { header: L('当前离线设备', 'Devices offline'), width: 12, value: (x: AlarmReport['alarms']['byRegion'][number]) => x.devicesOffline },
    ],
    rows: r.alarms.byRegion,
  });
  addSheet(wb, {
    title,
    note,
    sheetName: L('工单', 'Tickets'),
    columns: [
      { header: L('工单类型', 'Ticket kind'), width: 20, value: (k: { kind: string; count: number }) => words(TICKET_KIND_WORDS, k.kind, lang) },
      { header: L('工单数', 'Tickets'), width: 10, value: (k: { kind: string; count: number }) => k.count },
    ],
    rows: r.tickets.byKind,
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
