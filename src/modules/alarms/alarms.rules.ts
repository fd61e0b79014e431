import { z } from 'zod';
import type { Executor } from '../../db/database.js';
import { prefixUpperBound } from '../../db/dialect.js';
import { check, T, type Environment, type Type } from '../../lib/rules/check.js';
import { compile, type Compiled, type Facts } from '../../lib/rules/compile.js';
import { parse, RuleError } from '../../lib/rules/syntax.js';
import { verbalise, type FactPhrase, type Lexicon } from '../../lib/rules/verbalise.js';
import type { AppContext } from '../../platform/context.js';
import { defineSetting, type SettingRefusal } from '../../platform/settings.js';
import { DEVICE_KINDS, EVENT_KINDS, type DeviceKind, type EventKind } from './events.schema.js';
// the row type also brings the module's tables into a program that reaches this file from the console's types
import type { AlarmRuleOverrideRow } from './alarms.tables.js';

/**
 * The alarm rules (issue 18), per jurisdiction, overridable per person (overrides.ts). A rule's
 * `when` is written in the shared rule language (src/lib/rules) over the facts of one device event:
 * its kind, battery and value (either may be unknown: a device that does not report it), the
 * device's kind and the Beijing hour it happened. It is type-checked when the setting is saved
 * (a misspelt kind is refused there, with the rule named) and compiled once per value of the
 * setting (the compiled set is cached by the value's identity: the settings store hands out the
 * same object until the value changes).
 *
 * Triggers:
 * - 'event': every event just stored whose facts make `when` true, at a time inside `hours`,
 *   raises (or folds into an open alarm of the same device and rule within `aggregateMinutes`;
 *   after a resolved one, `silenceMinutes` of quiet) — raise.ts, inside the ingest's transaction;
 * - 'absence': the clock (clock.ts), each minute: with `after`, an `after` event with no `until`
 *   event of the same device within `minutes` (out of bed, not back); without, no event making
 *   `when` true on any of the person's devices for `minutes` of the effective hours (no movement);
 * - 'offline': the clock: an active device not seen for `minutes` is marked offline (`when`, if
 *   any, is read with the device's kind and kind 'heartbeat', the event a device sends to live).
 * The action: 'alarm' (the console's queue), 'service_request' (the green button: resolving it
 * may create a service order or a return call), 'welfare_check' (a visits follow-up for the grid
 * worker of the person's village, besides the alarm).
 */

export const ALARM_KINDS = ['emergency', 'fall', 'service_request', 'no_movement', 'out_of_bed', 'door_night', 'offline', 'battery_low', 'other'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

const words = z.object({ zh: z.string().min(1).max(60), en: z.string().min(1).max(80) }).strict();
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时刻应为 HH:MM（00:00–23:59）');
export const ruleHours = z.object({ from: hhmm, to: hhmm }).strict();
export type RuleHours = z.infer<typeof ruleHours>;
const WEEK_MINUTES = 7 * 24 * 60;

export const alarmRule = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{1,30}$/, '规则代码应为小写字母、数字或下划线'),
    label: words,
    trigger: z.enum(['event', 'absence', 'offline']),
    /** the rule language over the event's facts: kind, battery, value, deviceKind, hour */
    when: z.string().min(1).max(1000).optional(),
    alarmKind: z.enum(ALARM_KINDS),
    /** 1 highest */
    priority: z.number().int().min(1).max(5),
    /** effective hours, Beijing time; `from` later than `to` wraps midnight; equal: all day */
    hours: ruleHours.optional(),
    /** absence and offline: the threshold */
    minutes: z.number().int().min(1).max(WEEK_MINUTES).optional(),
    /** absence: the event that starts the wait (out_of_bed) … */
    after: z.enum(EVENT_KINDS).optional(),
    /** … and the one that ends it (in_bed) */
    until: z.enum(EVENT_KINDS).optional(),
    aggregateMinutes: z.number().int().min(0).max(WEEK_MINUTES),
    silenceMinutes: z.number().int().min(0).max(WEEK_MINUTES),
    action: z.enum(['alarm', 'service_request', 'welfare_check']),
  })
  .strict();
export type AlarmRule = z.infer<typeof alarmRule>;

export const alarmRules = z.object({ rules: z.array(alarmRule).min(1).max(50) }).strict();
export type AlarmRules = z.infer<typeof alarmRules>;

const MOVEMENT = "kind in ['movement', 'in_bed', 'out_of_bed', 'door_open', 'door_close'] && deviceKind in ['mattress', 'door_sensor', 'bracelet']";

export const DEFAULT_ALARM_RULES: AlarmRules = {
  rules: [
    {
      key: 'sos',
      label: { zh: '紧急呼叫（红键）', en: 'Emergency call (red button)' },
      trigger: 'event',
      when: "kind == 'sos'",
      alarmKind: 'emergency',
      priority: 1,
      aggregateMinutes: 10,
      silenceMinutes: 0,
      action: 'alarm',
    },
    {
      key: 'service_call',
      label: { zh: '服务呼叫（绿键）', en: 'Service call (green button)' },
      trigger: 'event',
      when: "kind == 'service_call'",
      alarmKind: 'service_request',
      priority: 3,
      aggregateMinutes: 10,
      silenceMinutes: 0,
      action: 'service_request',
    },
    {
      key: 'fall',
      label: { zh: '跌倒', en: 'Fall' },
      trigger: 'event',
      when: "kind == 'fall'",
      alarmKind: 'fall',
      priority: 1,
      aggregateMinutes: 10,
      silenceMinutes: 0,
      action: 'alarm',
    },
    {
      key: 'no_movement',
      label: { zh: '白天长时间无活动', en: 'No movement in the day' },
      trigger: 'absence',
      when: MOVEMENT,
      alarmKind: 'no_movement',
      priority: 2,
      hours: { from: '08:00', to: '20:00' },
      minutes: 720,
      aggregateMinutes: 0,
      silenceMinutes: 0,
      action: 'alarm',
    },
    {
      key: 'out_of_bed',
      label: { zh: '夜间离床未归', en: 'Out of bed at night, not back' },
      trigger: 'absence',
      after: 'out_of_bed',
      until: 'in_bed',
      alarmKind: 'out_of_bed',
      priority: 2,
      hours: { from: '22:00', to: '06:00' },
      minutes: 30,
      aggregateMinutes: 0,
      silenceMinutes: 0,
      action: 'alarm',
    },
    {
      key: 'door_night',
      label: { zh: '夜间开门', en: 'Door opened at night' },
      trigger: 'event',
      when: "kind == 'door_open'",
      alarmKind: 'door_night',
      priority: 2,
      hours: { from: '23:00', to: '05:00' },
      aggregateMinutes: 30,
      silenceMinutes: 30,
      action: 'alarm',
    },
    {
      key: 'offline',
      label: { zh: '设备离线（上门查看）', en: 'Device offline (welfare check)' },
      trigger: 'offline',
      alarmKind: 'offline',
      priority: 3,
      minutes: 24 * 60,
      aggregateMinutes: 0,
      silenceMinutes: 0,
      action: 'welfare_check',
    },
    {
      key: 'battery_low',
      label: { zh: '设备电量低', en: 'Device battery low' },
      trigger: 'event',
      when: 'battery <= 20',
      alarmKind: 'battery_low',
      priority: 4,
      aggregateMinutes: 24 * 60,
      silenceMinutes: 12 * 60,
      action: 'alarm',
    },
  ],
};

/* ---- the rule language over event facts ---- */

const kindType: Type = { t: 'enum', name: 'kind', values: EVENT_KINDS };
const deviceKindType: Type = { t: 'enum', name: 'deviceKind', values: DEVICE_KINDS };
const EVENT_FACTS: Record<string, { type: Type; unknown?: boolean }> = {
  kind: { type: kindType },
  battery: { type: T.int, unknown: true },
  value: { type: T.int, unknown: true },
  deviceKind: { type: deviceKindType },
  hour: { type: T.int },
};

export const eventEnvironment: Environment = {
  lookup(name) {
    const f = EVENT_FACTS[name];
    return f ? { kind: 'fact', type: f.type, unknown: f.unknown } : undefined;
  },
  names: () => Object.keys(EVENT_FACTS),
};

const EVENT_KIND_WORDS: Record<EventKind, { zh: string; en: string }> = {
  sos: { zh: '紧急呼叫', en: 'SOS' },
  service_call: { zh: '服务呼叫', en: 'service call' },
  fall: { zh: '跌倒', en: 'fall' },
  in_bed: { zh: '上床', en: 'in bed' },
  out_of_bed: { zh: '离床', en: 'out of bed' },
  movement: { zh: '活动', en: 'movement' },
  door_open: { zh: '开门', en: 'door opened' },
  door_close: { zh: '关门', en: 'door closed' },
  heartbeat: { zh: '心跳', en: 'heartbeat' },
  battery: { zh: '电量报告', en: 'battery report' },
  test: { zh: '测试', en: 'test' },
};
const DEVICE_KIND_WORDS: Record<DeviceKind, { zh: string; en: string }> = {
  emergency_button: { zh: '红绿双键呼叫器', en: 'red/green call button' },
  call_terminal: { zh: '紧急呼叫终端', en: 'call terminal' },
  mattress: { zh: '智能床垫', en: 'smart mattress' },
  bracelet: { zh: '智能手环', en: 'bracelet' },
  door_sensor: { zh: '门磁', en: 'door sensor' },
  other: { zh: '其他设备', en: 'other device' },
};
const FACT_PHRASES: Record<string, FactPhrase> = {
  kind: { type: kindType, noun: { zh: '事件类型', en: 'the event' }, values: EVENT_KIND_WORDS },
  battery: { type: T.int, noun: { zh: '电量（%）', en: 'the battery (%)' } },
  value: { type: T.int, noun: { zh: '读数', en: 'the reading' } },
  deviceKind: { type: deviceKindType, noun: { zh: '设备类型', en: 'the device' }, values: DEVICE_KIND_WORDS },
  hour: { type: T.int, noun: { zh: '时（北京时间）', en: 'the hour (Beijing)' } },
};
const lexicon: Lexicon = { fact: (name) => FACT_PHRASES[name], param: () => undefined };

/** A rule's `when` in words, both languages; null when it has none (every event) or no words fit it. */
export function whenWords(when: string | undefined): { zh: string; en: string } | null {
  if (!when) return null;
  try {
    const node = parse(when);
    return { zh: verbalise(node, lexicon, 'zh'), en: verbalise(node, lexicon, 'en') };
  } catch {
    return null;
  }
}

/** The problem of a `when`, in words, or null when it reads a yes/no of the event's facts. */
export function whenProblem(when: string): string | null {
  try {
    const checked = check(parse(when), eventEnvironment);
    if (checked.type.t !== 'bool') return '规则的结果应为“是/否”';
    return null;
  } catch (e) {
    if (e instanceof RuleError) return `${e.message}（第 ${e.offset + 1} 个字符）`;
    throw e;
  }
}

/**
 * The shortest threshold of an offline rule, in minutes (also of a person's override of one,
 * overrides.ts). A device's last_seen_at is written at most once a minute (ingest.ts,
 * TOUCH_INTERVAL_MS), and the clock looks once a minute: a threshold of a few minutes would mark
 * devices that report normally offline, and send a grid worker to check on their owners.
 */
export const MIN_OFFLINE_MINUTES = 10;

function offlineMinutesProblem(key: string): SettingRefusal {
  return {
    zh: `告警规则 ${key} 判定设备离线，时长（minutes）不能少于 ${MIN_OFFLINE_MINUTES} 分钟：设备的最后在线时间至多每分钟记录一次，更短的时长会把正常在线的设备判为离线`,
    en: `Alarm rule ${key} marks devices offline: its duration (minutes) may not be under ${MIN_OFFLINE_MINUTES} minutes, since a device’s last-seen time is written at most once a minute and a shorter one would mark devices that report normally offline`,
  };
}

/** What the setting refuses beyond its schema: the first problem, naming the rule. */
export function rulesProblem(value: AlarmRules): SettingRefusal | null {
  const keys = new Set<string>();
  for (const r of value.rules) {
    if (keys.has(r.key)) return { zh: `规则代码 ${r.key} 重复`, en: `Rule key ${r.key} appears twice` };
    keys.add(r.key);
    if (r.when) {
      const problem = whenProblem(r.when);
      if (problem) return { zh: `告警规则 ${r.key} 的条件有误：${problem}`, en: `The condition of alarm rule ${r.key} is wrong: ${problem}` };
    }
    if (r.trigger === 'event' && !r.when)
      return { zh: `告警规则 ${r.key} 由事件触发，须写明条件（when）`, en: `Alarm rule ${r.key} is triggered by events and needs a condition (when)` };
    if (r.trigger !== 'event' && !r.minutes) return { zh: `告警规则 ${r.key} 须写明时长（minutes）`, en: `Alarm rule ${r.key} needs a duration (minutes)` };
    if (r.trigger === 'offline' && r.minutes !== undefined && r.minutes < MIN_OFFLINE_MINUTES) return offlineMinutesProblem(r.key);
    if ((r.after === undefined) !== (r.until === undefined))
      return { zh: `告警规则 ${r.key} 的 after 与 until 须同时给出`, en: `Alarm rule ${r.key} needs both after and until, or neither` };
    if (r.after && r.trigger !== 'absence')
      return { zh: `告警规则 ${r.key}：after/until 只用于 absence 规则`, en: `Alarm rule ${r.key}: after/until belong to absence rules only` };
  }
  return null;
}

export const alarmRulesSetting = defineSetting<AlarmRules>({
  name: 'alarm_rules',
  label: { zh: '告警规则', en: 'Alarm rules' },
  description: {
    zh: '设备事件如何成为告警：每条规则的触发方式（事件、无活动、离线）、条件（规则语言，读事件类型、电量、读数、设备类型、时）、告警类别与优先级、生效时段（北京时间，可跨午夜）、时长、同一设备同一规则的合并窗口与办结后的静默时长、处置方式（告警、服务需求、上门查看）。默认：红键紧急呼叫 P1；绿键服务呼叫 P3；跌倒 P1；白天 08:00–20:00 连续 12 小时无活动 P2；夜间 22:00–06:00 离床 30 分钟未归 P2；23:00–05:00 开门 P2；离线 24 小时转网格员上门查看 P3；电量不高于 20% P4（24 小时合并）。可按老人单独调整。',
    en: 'How device events become alarms: per rule the trigger (event, absence, offline), the condition (rule language over the event kind, battery, reading, device kind, hour), alarm kind and priority, effective hours (Beijing, may wrap midnight), duration, the window that folds repeats of one device and rule and the quiet after a resolved one, and the action (alarm, service request, welfare check). Defaults: red button P1; green button P3; fall P1; no movement for 12 hours in 08:00–20:00 P2; out of bed at 22:00–06:00 and not back in 30 minutes P2; door opened 23:00–05:00 P2; offline 24 hours → a grid worker’s welfare check P3; battery at or below 20 % P4 (folded over 24 hours). Adjustable per person.',
  },
  schema: alarmRules,
  initial: () => DEFAULT_ALARM_RULES,
  check: async (value, ctx, jurisdictionCode) => rulesProblem(value) ?? (await droppedKeysProblem(ctx, jurisdictionCode, value)),
});

/**
 * What a new value may not do to persons' overrides (overrides.ts, keyed by the rule's key): drop
 * or rename a key that overrides of the jurisdiction's persons use. Those persons would silently
 * lose their change — an elder whose night-door rule is off because she works nights would get
 * alarms again, one whose threshold was raised would get the jurisdiction's. Only keys the value
 * in force has are looked at: an override whose key that value already lacks is not this value's
 * doing.
 */
async function droppedKeysProblem(ctx: AppContext, jurisdictionCode: string, value: AlarmRules): Promise<SettingRefusal | null> {
  const kept = new Set(value.rules.map((r) => r.key));
  const dropped = ctx.settings
    .get(alarmRulesSetting, jurisdictionCode)
    .rules.map((r) => r.key)
    .filter((k) => !kept.has(k));
  if (!dropped.length) return null;
  // an unknown jurisdiction (never: the settings routes pass the viewer's) counts every override
  const counts = await overrideCounts(ctx.db, ctx.regions.get(jurisdictionCode)?.prefix ?? '', dropped);
  const used = dropped.filter((k) => counts.has(k)).map((k) => ({ key: k, persons: counts.get(k)! }));
  if (!used.length) return null;
  const one = used.length === 1;
  return {
    zh: `告警规则 ${used.map((u) => `${u.key}（${u.persons} 位老人）`).join('、')} 仍有老人的个人调整在用：删除或改名后，这些调整将不再生效（对本人停用的规则会重新告警，调整过的阈值会回到辖区规则）。请保留${one ? '这一' : '这些'}规则代码，或先在这些老人的热线档案中（个人告警规则）点“恢复辖区规则”清除调整，再保存`,
    en: `${one ? 'Alarm rule' : 'Alarm rules'} ${used.map((u) => `${u.key} (${u.persons} ${u.persons === 1 ? 'person' : 'persons'})`).join(', ')} ${one ? 'is' : 'are'} still used by persons’ own changes of the rules: removed or renamed, those changes would silently stop applying (a rule turned off for someone would alarm again, a changed threshold would be the jurisdiction’s). Keep ${one ? 'the key' : 'the keys'}, or first clear the changes on those persons’ hotline profiles (Alarm rules for this person, Restore), then save`,
  };
}

export function alarmRulesOf(ctx: AppContext, regionCode: string): AlarmRules {
  return ctx.settings.get(alarmRulesSetting, regionCode);
}

/* ---- compiled, once per value ---- */

/** [from, to) in minutes of the Beijing day; null: all day. */
export type HourWindow = readonly [number, number] | null;

export interface CompiledRule {
  rule: AlarmRule;
  /** null: every event */
  test: Compiled | null;
  hours: HourWindow;
}

export interface CompiledRules {
  all: CompiledRule[];
  byKey: Map<string, CompiledRule>;
  event: CompiledRule[];
  timed: CompiledRule[];
}

const toMinutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

export function hourWindow(h: RuleHours | undefined): HourWindow {
  if (!h || h.from === h.to) return null;
  return [toMinutes(h.from), toMinutes(h.to)];
}

/** Whether a minute of the Beijing day lies in the window (which may wrap midnight). */
export function inWindow(w: HourWindow, minuteOfDay: number): boolean {
  if (!w) return true;
  const [from, to] = w;
  return from < to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from || minuteOfDay < to;
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;
/** Minute of the Beijing day of an instant (China has kept UTC+8 without summer time since 1991). */
export function beijingMinute(ms: number): number {
  return Math.floor(((ms + BEIJING_OFFSET_MS) % 86_400_000) / 60_000);
}

const cache = new WeakMap<AlarmRules, CompiledRules>();

export function compileRules(value: AlarmRules): CompiledRules {
  const hit = cache.get(value);
  if (hit) return hit;
  const all = value.rules.map((rule) => {
    const node = rule.when ? parse(rule.when) : null;
    if (node) check(node, eventEnvironment);
    return { rule, test: node ? compile(node, eventEnvironment) : null, hours: hourWindow(rule.hours) };
  });
  const out: CompiledRules = {
    all,
    byKey: new Map(all.map((c) => [c.rule.key, c])),
    event: all.filter((c) => c.rule.trigger === 'event'),
    timed: all.filter((c) => c.rule.trigger !== 'event'),
  };
  cache.set(value, out);
  return out;
}

export function compiledRulesOf(ctx: AppContext, regionCode: string): CompiledRules {
  return compileRules(alarmRulesOf(ctx, regionCode));
}

/** The facts one event offers the rules. */
export interface EventFacts extends Facts {
  kind: EventKind;
  battery: number | null;
  value: number | null;
  deviceKind: string;
  hour: number;
}

/** Whether the rule's condition is true for these facts (unknown is not true). */
export function holds(c: CompiledRule, facts: EventFacts): boolean {
  return c.test === null || c.test(facts, {}) === true;
}

/* ---- a person's override ---- */

export const overrideParams = z.object({ minutes: z.number().int().min(1).max(WEEK_MINUTES).optional(), hours: ruleHours.optional() }).strict();
export type OverrideParams = z.infer<typeof overrideParams>;

export interface PersonOverride {
  enabled: boolean;
  params: OverrideParams;
}

/** The rule as it applies to one person: null when their override turns it off. */
export function effectiveRule(c: CompiledRule, o: PersonOverride | undefined): { rule: AlarmRule; hours: HourWindow } | null {
  if (!o) return { rule: c.rule, hours: c.hours };
  if (!o.enabled) return null;
  const rule = { ...c.rule, ...(o.params.minutes !== undefined ? { minutes: o.params.minutes } : {}), ...(o.params.hours ? { hours: o.params.hours } : {}) };
  return { rule, hours: o.params.hours ? hourWindow(o.params.hours) : c.hours };
}

/**
 * How many persons of a region subtree (the jurisdiction's prefix) have an override of each of
 * these rules: one row per person and rule. Rules no one overrides are absent.
 */
export async function overrideCounts(db: Executor, regionPrefix: string, keys: readonly string[]): Promise<Map<AlarmRuleOverrideRow['rule_key'], number>> {
  if (!keys.length) return new Map();
  const rows = await db
    .selectFrom('alarm_rule_overrides')
    .select((eb) => ['rule_key', eb.fn.countAll<number | string>().as('n')])
    .where('rule_key', 'in', [...keys])
    .where('region_code', '>=', regionPrefix)
    .where('region_code', '<', prefixUpperBound(regionPrefix))
    .groupBy('rule_key')
    .execute();
  return new Map(rows.map((r) => [r.rule_key, Number(r.n)]));
}

export function parseOverrideParams(raw: string): OverrideParams {
  const parsed = overrideParams.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : {};
}
