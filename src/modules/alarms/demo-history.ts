import { randomBytes } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { mask } from '../../platform/mask.js';
import { today } from '../../platform/time.js';
import { hotlineTargetsOf } from './alarms.settings.js';

const DAY = 86_400_000;
const HISTORY_DAYS = 90;

/** An elder the history is made for (the caller reads them from the register). */
export interface HistoryElder {
  id: number;
  regionCode: string;
  livingAlone: boolean;
}

export interface AlarmHistoryInput {
  /** the caller's seeded generator: the same sequence gives the same history */
  rng: () => number;
  elders: readonly HistoryElder[];
  /** account ids: the two operators of the shift, their supervisor, and who installed the devices */
  operators: readonly [number, number];
  lead: number;
  admin: number;
  /** a synthetic name (contacts, callers), drawn from `rng` */
  nameOf: (sex: 'F' | 'M', birthYear: number) => string;
}

export interface AlarmHistoryCounts {
  devices: number;
  contacts: number;
  alarms: number;
  tickets: number;
  callbacks: number;
}

/**
 * A monitoring and hotline history for the demo county (src/modules/demo/alarms.ts says what it
 * holds): a vendor platform, devices and emergency contacts of the given elders, 90 days of alarms
 * with their steps and events, a live queue (one emergency waiting, one fall acknowledged by the
 * first operator), knowledge-base answers, tickets and return calls.
 *
 * The module's own tables are written directly here, in one transaction: the history has past
 * times, which the public functions (they stamp "now" and publish live events) cannot write.
 * Columns and sealed formats follow theirs (ticket notes and return-call attempts as sealed JSON,
 * step notes as sealed text, addresses and phones sealed with ctx.cipher). Deterministic with
 * `rng` (except the vendor's secret, random and sealed, never printed), well under a second on SQLite.
 */
export async function seedAlarmHistory(ctx: AppContext, input: AlarmHistoryInput): Promise<AlarmHistoryCounts> {
  const { rng, elders, operators, lead, admin, nameOf } = input;
  // the counties the elders live in, in order of first appearance (the demo's: one)
  const counties = [
    ...new Map(
      elders.flatMap((e) => {
        const j = ctx.regions.jurisdictionOf(e.regionCode);
        return j ? [[j.code, j] as const] : [];
      }),
    ).values(),
  ];
  if (!counties.length || !elders.length) return { devices: 0, contacts: 0, alarms: 0, tickets: 0, callbacks: 0 };
  const villageName = (code: string) => ctx.regions.get(code)?.name ?? '';
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const on = today();
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const chance = (p: number) => rng() < p;
  const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  // each alarm, ticket and return call by the hotline targets of its elder's county
  const targetsOf = (regionCode: string) => hotlineTargetsOf(ctx, regionCode);

  return ctx.db.transaction().execute(async (trx) => {
    // the vendor's platform: bracelets and mattresses post through it
    const vendor = await trx
      .insertInto('alarm_vendors')
      .values({
        name: '安康智能呼援平台',
        key_id: `v-demo${String(int(1000, 9999))}`,
        secret_enc: ctx.cipher.encrypt(randomBytes(32).toString('hex')),
        active: 1,
        created_by: admin,
        created_at: iso(now - (HISTORY_DAYS + 10) * DAY),
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    // devices
    interface Device {
      id: number;
      serial: string;
      kind: string;
      personId: number;
      region: string;
    }
    const PREFIX: Record<string, string> = { emergency_button: 'EB', call_terminal: 'CT', mattress: 'MT', bracelet: 'BR', door_sensor: 'DS' };
    const MODEL: Record<string, string> = {
      emergency_button: '红绿双键呼叫器 HL-2',
      call_terminal: '紧急呼叫终端 T8',
      mattress: '智能床垫 SM-100',
      bracelet: '智能手环 B5',
      door_sensor: '门磁 DS-1',
    };
    let serialNo = 100;
    const devices: Device[] = [];
    const offlineDevices = new Set<number>();
    for (const [i, e] of elders.entries()) {
      const kinds = e.livingAlone
        ? ['emergency_button', ...(chance(0.5) ? ['door_sensor'] : []), ...(chance(0.35) ? ['mattress'] : [])]
        : [pickOf(['call_terminal', 'bracelet', 'mattress', 'emergency_button']), ...(chance(0.3) ? ['bracelet'] : [])];
      const address = `${villageName(e.regionCode)}${int(1, 12)}组${int(1, 60)}号`;
      for (const kind of [...new Set(kinds)]) {
        serialNo += int(1, 7);
        const serial = `YY-${PREFIX[kind]}-${String(serialNo).padStart(6, '0')}`;
        const installed = iso(now - int(HISTORY_DAYS + 5, HISTORY_DAYS + 200) * DAY).slice(0, 10);
        // three devices went silent two days ago; the rest were seen within the last minutes
        const offline = i % 20 === 7 && !devices.some((d) => d.personId === e.id);
        const row = await trx
          .insertInto('alarm_devices')
          .values({
            serial,
            kind,
            model: MODEL[kind] ?? null,
            vendor_id: kind === 'bracelet' || kind === 'mattress' ? vendor.id : null,
            person_id: e.id,
            region_code: e.regionCode,
            address_enc: ctx.cipher.encrypt(address),
            provider_id: null,
            installed_on: installed,
            status: 'active',
            retired_on: null,
            last_seen_at: iso(offline ? now - 2 * DAY - int(0, 3600) * 1000 : now - int(10, 900) * 1000),
            battery: i % 17 === 3 ? int(8, 18) : int(35, 100),
            link: offline ? 'offline' : 'online',
            created_by: admin,
            created_at: `${installed}T02:00:00.000Z`,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        devices.push({ id: row.id, serial, kind, personId: e.id, region: e.regionCode });
        if (offline) offlineDevices.add(row.id);
      }
    }

    // emergency contacts
    const contacts: Insertable<Database['hotline_contacts']>[] = [];
    for (const e of elders) {
      const n = chance(0.6) ? 2 : 1;
      for (let rank = 1; rank <= n; rank++) {
        const phone = `139${String(int(0, 99_999_999)).padStart(8, '0')}`;
        const relation = rank === 1 ? pickOf(['child', 'child', 'spouse', 'relative']) : pickOf(['neighbour', 'child', 'friend']);
        contacts.push({
          person_id: e.id,
          region_code: e.regionCode,
          name: nameOf(chance(0.5) ? 'F' : 'M', int(1955, 1985)),
          relation,
          phone_enc: ctx.cipher.encrypt(phone),
          phone_masked: mask('phone', phone),
          rank,
          updated_by: admin,
          updated_at: iso(now - int(30, 120) * DAY),
        });
      }
    }
    await ctx.handle.insertMany(trx, 'hotline_contacts', contacts);

    // knowledge base
    const articles: { title: string; body: string; keywords: string }[] = [
      {
        title: '如何申请高龄津贴',
        body: '年满 80 周岁、具有本县户籍的老年人可申请高龄津贴。本人或家属携身份证、户口簿到户籍所在村（社区）或镇（街道）便民服务中心申请，经审核后按月发放至本人社保卡。已享受的老人无需每年重复申请，迁出或去世后停发。',
        keywords: '高龄津贴,高龄补贴,80岁,长寿金',
      },
      {
        title: '养老服务补贴申请条件与流程',
        body: '低保、低保边缘家庭中失能、半失能老年人及其他符合条件的困难老人，可申请居家养老服务补贴，以服务券或政府购买上门服务的方式发放。向村（社区）提出申请，经能力评估、镇（街道）审核、县民政局审批后享受。',
        keywords: '养老服务补贴,服务补贴,失能,困难老人,政府购买服务',
      },
      {
        title: '居家上门服务怎么预约',
        body: '享受政府购买服务的老人可通过 12349 热线、村（社区）或服务商预约助餐、助洁、助浴、助医等上门服务。热线登记后派单给老人所在地的服务商，护理员上门时签到签退，服务后热线回访满意度。',
        keywords: '上门服务,助洁,助浴,助餐,预约,护理员',
      },
      {
        title: '时间银行：志愿服务时长存取',
        body: '年满 18 周岁的志愿者为老年人提供陪伴、探访等服务，经老人确认后时长存入个人时间银行账户，日后本人或直系亲属可兑换同等时长的服务。开户请联系所在村（社区）或登录平台。',
        keywords: '时间银行,志愿服务,时长,兑换',
      },
      {
        title: '12349 养老服务热线能做什么',
        body: '12349（本县 68812349）24 小时有人接听：紧急呼叫与告警处置、政策咨询、服务预约、投诉建议与回访。紧急情况请同时拨打 120 或 110。投诉在 5 个工作日内办结并回访。',
        keywords: '12349,热线,68812349,投诉,紧急呼叫',
      },
    ];
    // each county's knowledge base
    const articleIdsOf = new Map<string, number[]>();
    for (const j of counties) {
      const ids: number[] = [];
      for (const a of articles) {
        const r = await trx
          .insertInto('hotline_articles')
          .values({ jurisdiction: j.code, ...a, item_id: null, active: 1, updated_by: lead, updated_at: iso(now - 60 * DAY) })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.push(r.id);
      }
      articleIdsOf.set(j.code, ids);
    }
    const articlesAbout = (regionCode: string) => articleIdsOf.get(ctx.regions.jurisdictionOf(regionCode)?.code ?? '') ?? [];
    const pickArticle = (ids: readonly number[]) => ids[Math.floor(rng() * ids.length)]!;

    // alarm history
    const EVENT_OF: Record<string, string | null> = {
      emergency: 'sos',
      service_request: 'service_call',
      fall: 'fall',
      out_of_bed: 'out_of_bed',
      door_night: 'door_open',
      battery_low: 'battery',
      no_movement: null,
      offline: null,
    };
    const KINDS_OF: Record<string, [string, number][]> = {
      emergency_button: [
        ['emergency', 5],
        ['service_request', 4],
        ['battery_low', 1],
      ],
      call_terminal: [
        ['emergency', 5],
        ['service_request', 3],
        ['offline', 1],
      ],
      bracelet: [
        ['fall', 3],
        ['emergency', 2],
        ['battery_low', 2],
      ],
      mattress: [
        ['out_of_bed', 3],
        ['no_movement', 2],
        ['offline', 1],
      ],
      door_sensor: [['door_night', 1]],
    };
    const PRIORITY: Record<string, number> = {
      emergency: 1,
      fall: 1,
      service_request: 3,
      no_movement: 2,
      out_of_bed: 2,
      door_night: 2,
      offline: 3,
      battery_low: 4,
    };
    const weighted = (table: [string, number][]) => {
      let x = rng() * table.reduce((s, [, w]) => s + w, 0);
      for (const [k, w] of table) if ((x -= w) < 0) return k;
      return table[0]![0];
    };
    const outcomeOf = (kind: string): 'real' | 'false_alarm' | 'test' => {
      const r = rng();
      if (kind === 'emergency') return r < 0.5 ? 'real' : r < 0.88 ? 'false_alarm' : 'test';
      if (kind === 'fall') return r < 0.7 ? 'real' : 'false_alarm';
      if (kind === 'service_request' || kind === 'battery_low' || kind === 'offline') return r < 0.92 ? 'real' : 'false_alarm';
      return r < 0.45 ? 'real' : 'false_alarm';
    };
    // seconds to acknowledge: most within half a minute, some within the minute, a few slow
    const ackDelay = () => {
      const r = rng();
      return r < 0.72 ? int(5, 28) : r < 0.9 ? int(30, 58) : r < 0.96 ? int(61, 170) : r < 0.99 ? int(181, 420) : int(421, 900);
    };
    const NOTES: Record<string, string[]> = {
      false_alarm: ['老人误按，电话确认平安', '家属在家，设备误触发', '打扫卫生时碰到按键'],
      test: ['安装人员测试设备', '老人试按，了解使用方法'],
      real: ['已联系家属赶到，老人无大碍', '网格员上门，协助老人就医', '服务商已上门处理', '120 已送医，家属陪同'],
    };

    interface Made {
      id: number;
      kind: string;
      personId: number;
      region: string;
      resolvedAt: number;
      outcome: string;
      operator: number;
    }
    const made: Made[] = [];
    const steps: Insertable<Database['alarm_steps']>[] = [];
    const events: Insertable<Database['alarm_events']>[] = [];
    let message = 0;
    const addEvent = (d: Device, kind: string, at: number, alarmId: number | null, battery: number | null = null) =>
      events.push({
        device_id: d.id,
        message_id: `demo-${++message}`,
        kind,
        occurred_at: iso(at - 800),
        received_at: iso(at),
        via: d.kind === 'bracelet' || d.kind === 'mattress' ? 'http' : 'mqtt',
        battery,
        value: null,
        person_id: d.personId,
        region_code: d.region,
        alarm_id: alarmId,
      });

    for (let day = HISTORY_DAYS; day >= 1; day--) {
      const dayStart = new Date(`${iso(now - day * DAY).slice(0, 10)}T00:00:00+08:00`).getTime();
      const n = int(2, 5);
      for (let k = 0; k < n; k++) {
        const d = pickOf(devices);
        const kind = weighted(KINDS_OF[d.kind] ?? [['emergency', 1]]);
        const hour = kind === 'door_night' || kind === 'out_of_bed' ? pickOf([23, 0, 1, 2, 3, 4]) : int(6, 22);
        const raised = dayStart + hour * 3_600_000 + int(0, 3599) * 1000;
        const ack = ackDelay();
        const targets = targetsOf(d.region);
        const escalation = ack > targets.escalateSupervisorSeconds ? 2 : ack > targets.escalateAllSeconds ? 1 : 0;
        const outcome = outcomeOf(kind);
        const operator = pickOf(operators);
        const ackAt = raised + ack * 1000;
        const handle =
          outcome === 'real' ? (kind === 'emergency' || kind === 'fall' ? (chance(0.9) ? int(8, 40) * 60 : int(46, 80) * 60) : int(5, 30) * 60) : int(40, 300);
        const resolvedAt = ackAt + handle * 1000;
        const alarm = await trx
          .insertInto('alarms')
          .values({
            person_id: d.personId,
            region_code: d.region,
            device_id: d.id,
            rule_key: kind === 'emergency' ? 'sos' : kind,
            kind,
            priority: PRIORITY[kind] ?? 3,
            state: 'resolved',
            raised_at: iso(raised),
            event_count: 1,
            last_event_at: iso(raised),
            escalation,
            escalated_at: escalation ? iso(raised + (escalation === 2 ? targets.escalateSupervisorSeconds : targets.escalateAllSeconds) * 1000) : null,
            acknowledged_at: iso(ackAt),
            acknowledged_by: operator,
            resolved_at: iso(resolvedAt),
            resolved_by: operator,
            outcome,
            follow_up: null,
            version: 3,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const ev = EVENT_OF[kind];
        if (ev) addEvent(d, ev, raised, alarm.id, kind === 'battery_low' ? int(8, 19) : null);
        steps.push({ alarm_id: alarm.id, at: iso(raised), by_user: 0, kind: 'raised', action: null, note_enc: null });
        if (escalation >= 1)
          steps.push({ alarm_id: alarm.id, at: iso(raised + targets.escalateAllSeconds * 1000), by_user: 0, kind: 'escalated', action: null, note_enc: null });
        if (escalation >= 2)
          steps.push({
            alarm_id: alarm.id,
            at: iso(raised + targets.escalateSupervisorSeconds * 1000),
            by_user: 0,
            kind: 'escalated',
            action: null,
            note_enc: null,
          });
        steps.push({ alarm_id: alarm.id, at: iso(ackAt), by_user: operator, kind: 'acknowledged', action: null, note_enc: null });
        const actions =
          outcome !== 'real'
            ? ['called_elder']
            : kind === 'emergency' || kind === 'fall'
              ? ['called_elder', 'called_family', chance(0.15) ? 'called_120' : chance(0.5) ? 'dispatched_grid_worker' : 'dispatched_provider']
              : kind === 'service_request'
                ? ['called_elder', 'dispatched_provider']
                : ['called_elder', 'called_family'];
        actions.forEach((action, i) =>
          steps.push({
            alarm_id: alarm.id,
            at: iso(ackAt + ((i + 1) * (resolvedAt - ackAt)) / (actions.length + 1)),
            by_user: operator,
            kind: 'action',
            action,
            note_enc: null,
          }),
        );
        steps.push({
          alarm_id: alarm.id,
          at: iso(resolvedAt),
          by_user: operator,
          kind: 'resolved',
          action: null,
          note_enc: chance(0.7) ? ctx.cipher.encrypt(pickOf(NOTES[outcome]!)) : null,
        });
        made.push({ id: alarm.id, kind, personId: d.personId, region: d.region, resolvedAt, outcome, operator });
      }
    }

    // the live queue: one emergency waiting, one fall acknowledged by hotline1
    const button = devices.find((d) => d.kind === 'emergency_button') ?? devices[0]!;
    const band = devices.find((d) => d.kind === 'bracelet' && d.personId !== button.personId) ?? devices[1] ?? button;
    const waitingAt = now - 20_000;
    const waiting = await trx
      .insertInto('alarms')
      .values({
        person_id: button.personId,
        region_code: button.region,
        device_id: button.id,
        rule_key: 'sos',
        kind: 'emergency',
        priority: 1,
        state: 'raised',
        raised_at: iso(waitingAt),
        event_count: 1,
        last_event_at: iso(waitingAt),
        escalation: 0,
        escalated_at: null,
        acknowledged_at: null,
        acknowledged_by: null,
        resolved_at: null,
        resolved_by: null,
        outcome: null,
        follow_up: null,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    addEvent(button, 'sos', waitingAt, waiting.id);
    steps.push({ alarm_id: waiting.id, at: iso(waitingAt), by_user: 0, kind: 'raised', action: null, note_enc: null });
    const fallAt = now - 4 * 60_000;
    const held = await trx
      .insertInto('alarms')
      .values({
        person_id: band.personId,
        region_code: band.region,
        device_id: band.id,
        rule_key: 'fall',
        kind: 'fall',
        priority: 1,
        state: 'acknowledged',
        raised_at: iso(fallAt),
        event_count: 1,
        last_event_at: iso(fallAt),
        escalation: 0,
        escalated_at: null,
        acknowledged_at: iso(fallAt + 14_000),
        acknowledged_by: operators[0]!,
        resolved_at: null,
        resolved_by: null,
        outcome: null,
        follow_up: null,
        version: 3,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    addEvent(band, 'fall', fallAt, held.id);
    steps.push(
      { alarm_id: held.id, at: iso(fallAt), by_user: 0, kind: 'raised', action: null, note_enc: null },
      { alarm_id: held.id, at: iso(fallAt + 14_000), by_user: operators[0]!, kind: 'acknowledged', action: null, note_enc: null },
      {
        alarm_id: held.id,
        at: iso(fallAt + 70_000),
        by_user: operators[0]!,
        kind: 'action',
        action: 'called_elder',
        note_enc: ctx.cipher.encrypt('老人未接听，准备联系家属'),
      },
    );
    // heartbeats of the last day for the devices online
    for (const d of devices) if (!offlineDevices.has(d.id)) addEvent(d, 'heartbeat', now - int(60, 3600) * 1000, null, int(30, 100));
    // and what the absence rules wait for: the elders moved through the last fourteen hours (a mattress
    // or bracelet reports movement, a door sensor a closed door), the latest within the last hour;
    // without it every monitored elder's 'no movement' alarm is raised the first minute after start
    for (const d of devices) {
      if (offlineDevices.has(d.id) || !['mattress', 'bracelet', 'door_sensor'].includes(d.kind)) continue;
      // spaced by the device's id, not the generator: the draws after this (tickets, return calls) stay as they were
      for (let at = now - (5 + ((d.id * 7) % 50)) * 60_000; at > now - 14 * 3_600_000; at -= (60 + ((d.id * 13) % 90)) * 60_000)
        addEvent(d, d.kind === 'door_sensor' ? 'door_close' : 'movement', at, null);
    }
    await ctx.handle.insertMany(trx, 'alarm_steps', steps);
    await ctx.handle.insertMany(trx, 'alarm_events', events);

    // tickets of every kind, and return calls after resolved emergencies and complaints
    const tickets: Insertable<Database['hotline_tickets']>[] = [];
    const callbacks: Insertable<Database['hotline_callbacks']>[] = [];
    const dueOn = (ms: number, days: number) => iso(ms + days * DAY + 8 * 3_600_000).slice(0, 10);
    const callbackRow = (personId: number, region: string, dueDate: string, alarmId: number | null, ticketId: number | null, madeAt: number) => {
      const past = dueDate < on;
      const r = rng();
      const status = !past ? 'open' : r < 0.85 ? 'done' : r < 0.93 ? 'unreachable' : 'open';
      const by = pickOf(operators);
      const doneAt = new Date(`${dueDate}T10:00:00+08:00`).getTime() + int(0, 6 * 3600) * 1000;
      const outcome = status === 'done' ? (chance(0.9) ? 'satisfied' : 'unsatisfied') : status === 'unreachable' ? 'no_answer' : null;
      const attempts =
        status === 'unreachable'
          ? [0, 1, 2].map((i) => ({ at: iso(doneAt + i * 3_600_000), by, outcome: 'no_answer', note: null }))
          : status === 'done'
            ? [{ at: iso(doneAt), by, outcome, note: outcome === 'satisfied' ? '老人表示满意' : '老人反映等待时间偏长' }]
            : [];
      callbacks.push({
        person_id: personId,
        region_code: region,
        alarm_id: alarmId,
        ticket_id: ticketId,
        due_on: dueDate,
        status,
        done_at: status === 'open' ? null : iso(doneAt + (attempts.length - 1) * 3_600_000),
        done_by: status === 'open' ? null : by,
        outcome,
        note_enc: attempts.length ? ctx.cipher.encrypt(JSON.stringify(attempts)) : null,
        created_at: iso(madeAt),
      });
    };
    for (const a of made)
      if (a.outcome === 'real' && (a.kind === 'emergency' || a.kind === 'fall'))
        callbackRow(a.personId, a.region, dueOn(a.resolvedAt, targetsOf(a.region).callbackDays), a.id, null, a.resolvedAt);

    const SUBJECTS: Record<string, string[]> = {
      consultation: ['咨询高龄津贴申请', '咨询养老服务补贴条件', '询问时间银行怎么开户', '咨询上门助浴价格', '询问热线服务内容'],
      service_request: ['预约上门助洁', '预约助浴服务', '申请送餐上门', '预约理发上门'],
      complaint: ['护理员迟到未提前告知', '送餐不及时', '服务时间不足', '上门服务态度差'],
      emergency: ['老人在家摔倒，家属来电求助', '老人胸闷，邻居来电', '独居老人多日未出门，邻居来电'],
    };
    const ticketNotes = (notes: string | null, closeNote: string | null) =>
      notes || closeNote ? ctx.cipher.encrypt(JSON.stringify({ notes, closeNote })) : null;
    const ticketMeta: { kind: string; personId: number; region: string; closedAt: number | null }[] = [];
    for (let day = HISTORY_DAYS; day >= 0; day--) {
      const dayStart = new Date(`${iso(now - day * DAY).slice(0, 10)}T00:00:00+08:00`).getTime();
      const n = day === 0 ? 1 : int(1, 3);
      for (let k = 0; k < n; k++) {
        const r = rng();
        const kind = r < 0.48 ? 'consultation' : r < 0.74 ? 'service_request' : r < 0.88 ? 'complaint' : 'emergency';
        const e = pickOf(elders);
        const opened = Math.min(now - 3_600_000, dayStart + int(7, 21) * 3_600_000 + int(0, 3599) * 1000);
        const phone = `139${String(int(0, 99_999_999)).padStart(8, '0')}`;
        const targets = targetsOf(e.regionCode);
        const due = kind === 'complaint' ? opened + targets.complaintDays * DAY : null;
        // complaints: most closed within the deadline, a few late, the recent ones may still be open
        let closed: number | null =
          kind === 'complaint'
            ? opened + (chance(0.85) ? int(1, targets.complaintDays * 24 - 2) : int(targets.complaintDays * 24 + 2, targets.complaintDays * 48)) * 3_600_000
            : opened + int(3, 15) * 60_000;
        if (closed > now || (kind === 'complaint' && day < 3 && chance(0.5))) closed = null;
        const subject = pickOf(SUBJECTS[kind]!);
        tickets.push({
          kind,
          status: closed === null ? 'open' : 'closed',
          person_id: e.id,
          region_code: e.regionCode,
          caller_phone_enc: ctx.cipher.encrypt(phone),
          caller_phone_hash: ctx.cipher.lookupHash(`hotline-caller:${phone}`),
          caller_name: chance(0.5) ? nameOf(chance(0.5) ? 'F' : 'M', int(1955, 1985)) : null,
          subject,
          notes_enc: ticketNotes(
            kind === 'complaint' ? '来电人要求尽快处理并回复' : null,
            closed !== null && kind === 'complaint' ? '已与服务商核实并整改' : null,
          ),
          alarm_id: null,
          article_id: kind === 'consultation' ? pickArticle(articlesAbout(e.regionCode)) : null,
          follow_up: null,
          operator_id: pickOf(operators),
          opened_at: iso(opened),
          closed_at: closed === null ? null : iso(closed),
          due_at: due === null ? null : iso(due),
          outcome:
            closed === null ? null : kind === 'consultation' ? 'answered' : kind === 'complaint' ? pickOf(['resolved', 'resolved', 'unfounded']) : 'resolved',
        });
        ticketMeta.push({ kind, personId: e.id, region: e.regionCode, closedAt: closed });
      }
    }
    // tickets one by one for their ids (the return calls of closed complaints point at them)
    for (const [i, t] of tickets.entries()) {
      const r = await trx.insertInto('hotline_tickets').values(t).returning('id').executeTakeFirstOrThrow();
      const m = ticketMeta[i]!;
      if (m.kind === 'complaint' && m.closedAt !== null)
        callbackRow(m.personId, m.region, dueOn(m.closedAt, targetsOf(m.region).callbackDays), null, r.id, m.closedAt);
    }
    await ctx.handle.insertMany(trx, 'hotline_callbacks', callbacks);
    return { devices: devices.length, contacts: contacts.length, alarms: made.length + 2, tickets: tickets.length, callbacks: callbacks.length };
  });
}
