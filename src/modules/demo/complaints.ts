import { DEMO_COUNTY } from './regions.js';
import type { AppContext } from '../../platform/context.js';
import { anonymousScope, systemScope, userScope, type Scope } from '../../platform/scope.js';
import type { Role } from '../../platform/policy.js';
import { today } from '../../platform/time.js';
import { createTicket } from '../alarms/tickets.js';
import type { ComplaintCategory } from '../complaints/complaints.schema.js';
import { assignComplaint, closeComplaint, investigateComplaint, noteComplaint, replyComplaint } from '../complaints/handling.js';
import { insertComplaint, resolveTarget } from '../complaints/intake.js';
import { escalateOverdue } from '../complaints/overdue.js';
import { answerSurvey, drawSurvey, listSurveys } from '../complaints/surveys.js';
import { listFacilities } from '../facilities/directory.js';
import { listProviders } from '../services/providers.js';
import { accountByUsername } from '../users/accounts.js';
import { mulberry32, seedBits } from './generator.js';

/**
 * The demo county's complaints (issue 19), through the complaints module's public functions:
 * fifteen complaints about the demo's facilities and providers in every state — received, assigned,
 * investigating, replied, closed (some substantiated), one past its deadline and raised to the
 * bureau, one from the 12349 hotline — and last month's satisfaction survey drawn and mostly
 * answered (one recipient saying the service was not given, which opens a complaint).
 */
const STORIES: { category: ComplaintCategory; text: string; reply?: string; finding?: 'yes' | 'no' | 'partly' }[] = [
  {
    category: 'staff_attitude',
    text: '护理员上门时说话很冲，老人问了两遍就不耐烦，希望换一位护理员。',
    reply: '已约谈服务机构，更换护理员并对其进行服务礼仪培训。',
    finding: 'yes',
  },
  {
    category: 'service_quality',
    text: '助洁服务只做了二十分钟就走了，工单上却写了一个小时。',
    reply: '经调取签到签退记录，实际服务 25 分钟，已责令机构按实结算并整改。',
    finding: 'partly',
  },
  { category: 'food', text: '助餐点最近一周的饭菜偏咸，牙口不好的老人吃不了米饭太硬。', reply: '已要求助餐点调整菜品口味，增加软食选项。', finding: 'yes' },
  {
    category: 'fees',
    text: '机构在床位费之外另收了 300 元“管理费”，没有收据。',
    reply: '经核查，该费用已列入公示收费项目并出具票据，未发现违规收费。',
    finding: 'no',
  },
  {
    category: 'safety',
    text: '养老院二楼走廊的扶手松动，老人差点摔倒，反映过没人修。',
    reply: '机构已于次日完成维修，我们将在下次检查时复核。',
    finding: 'yes',
  },
  { category: 'service_quality', text: '上门助浴预约了三次都被临时取消，老人已经两周没有洗澡。', reply: '已督促机构调配人员，本周内安排上门助浴并电话回访。' },
  { category: 'abuse_neglect', text: '看到护工对一位卧床老人大声呵斥，还用力拽他的胳膊。' },
  { category: 'other', text: '希望日间照料中心周末也能开放，子女上班没人照看老人。' },
  { category: 'fraud', text: '我母亲上个月住院了十天，但服务记录上显示这十天都有上门服务。' },
  { category: 'food', text: '老年食堂的饭菜分量越来越少，价格却没变。' },
  { category: 'staff_attitude', text: '打电话给站点咨询补贴的事，接电话的人说不归他们管就挂了。' },
  { category: 'safety', text: '日间照料中心的消防通道堆放了很多杂物，存在安全隐患。' },
  { category: 'service_quality', text: '护理员每次来都迟到半小时以上，老人要一直等着。' },
  { category: 'fees', text: '上门理发说好是政府购买服务免费的，理发师却又收了二十元。' },
];

export async function seedDemoComplaints(ctx: AppContext, seed: number, log: (s: string) => void = () => {}): Promise<void> {
  const t0 = Date.now();
  const rng = mulberry32(seedBits(seed) ^ 0xc0a1);
  const j = ctx.regions.get(DEMO_COUNTY);
  if (!j) return;
  const county = systemScope(j.code, j.prefix, 'system:demo');
  const facilities = await listFacilities(ctx.db, { regionPrefix: j.prefix, activeOnly: true });
  const providers = (await listProviders(ctx, county)).items.filter((p) => p.active);
  const targets = [...facilities.map((f) => ({ kind: 'facility' as const, id: f.id })), ...providers.map((p) => ({ kind: 'provider' as const, id: p.id }))];
  if (!targets.length) return;
  const users = (await Promise.all(['town1', 'town2', 'admin', 'hotline1'].map((u) => accountByUsername(ctx.db, u)))).filter((u) => u !== null);
  const asScope = (u: (typeof users)[number]): Scope => {
    const region = ctx.regions.get(u.regionCode)!;
    return userScope({ id: u.id, username: u.username, role: u.role as Role }, region, null);
  };
  const scopeOfUser = (name: string): Scope => asScope(users.find((u) => u.username === name)!);
  const officerFor = (unit: string): Scope => {
    const town = users.find((u) => u.role === 'town_officer' && u.regionCode === unit);
    return town ? asScope(town) : scopeOfUser('admin');
  };
  const now = Date.now();
  let n = 0;
  for (let i = 0; i < STORIES.length; i++) {
    const s = STORIES[i]!;
    const pickT = targets[Math.floor(rng() * targets.length)]!;
    const target = await resolveTarget(ctx, ctx.db, pickT.kind, pickT.id, undefined);
    // the handled ones came in weeks ago; the last few this week; one (index 6) 20 days ago and still unanswered
    const daysAgo = s.finding ? 18 + i * 2 : i === 6 ? 20 : i < 6 ? 10 : Math.floor(rng() * 5);
    const anonymous = rng() < 0.4;
    const filed = await ctx.db.transaction().execute((trx) =>
      insertComplaint(ctx, trx, anonymousScope('complaint', null), {
        source: 'public',
        sourceId: null,
        target,
        category: s.category,
        text: s.text,
        happenedOn: today(new Date(now - (daysAgo + 2) * 86_400_000)),
        regionCode: target.regionCode ?? j.code,
        contactName: anonymous ? null : ['王阿姨', '李先生', '张女士', '陈大爷', '刘先生'][i % 5]!,
        contactPhone: anonymous ? null : `139${String(10_000_000 + Math.floor(rng() * 89_999_999)).slice(0, 8)}`,
        receivedAt: new Date(now - daysAgo * 86_400_000).toISOString(),
      }),
    );
    n++;
    const officer = officerFor(filed.unitCode);
    if (i >= 9) continue; // received, not yet assigned
    await assignComplaint(ctx, officer, filed.id, officer.role === 'town_officer' && officer.userId ? { officerId: officer.userId } : {});
    if (i === 8) continue; // assigned
    await investigateComplaint(ctx, officer, filed.id, {});
    await noteComplaint(ctx, officer, filed.id, { note: '已电话联系服务机构负责人，调取服务记录核实。' });
    if (!s.reply) continue; // investigating (index 6 stays overdue)
    await replyComplaint(ctx, officer, filed.id, { reply: s.reply });
    if (s.finding) await closeComplaint(ctx, officer, filed.id, { substantiated: s.finding });
  }
  // one from the 12349 hotline: the operator's ticket files it
  await createTicket(ctx, scopeOfUser('hotline1'), {
    kind: 'complaint',
    subject: '来电反映：助餐点送餐经常晚到一小时，饭菜已经凉了',
    callerName: '赵女士',
    callerPhone: '13905550123',
    notes: '老人独居，希望尽快改善送餐时间。',
  });
  n++;
  const raised = await escalateOverdue(ctx, today());

  // last month's satisfaction survey, drawn with a fixed seed and mostly answered
  const d = new Date();
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  const admin = scopeOfUser('admin');
  const draw = await drawSurvey(ctx, admin, last, `demo-${seed}-${last}`);
  const calls = (await listSurveys(ctx, admin, { period: last, page: 1, pageSize: 200 })).items;
  let answered = 0;
  for (const [k, c] of calls.entries()) {
    if (k === 1) {
      await answerSurvey(ctx, admin, c.id, { outcome: 'answered', given: 'no', note: '老人说那天护理员没有来。', via: 'hotline' });
    } else if (rng() < 0.15) {
      await answerSurvey(ctx, admin, c.id, { outcome: 'unreachable', via: 'officer' });
    } else if (rng() < 0.85) {
      const score = () => 3 + Math.floor(rng() * 3);
      await answerSurvey(ctx, admin, c.id, {
        outcome: 'answered',
        given: 'yes',
        answers: { overall: score(), punctuality: score(), attitude: score(), quality: score() },
        via: 'hotline',
      });
    } else continue;
    answered++;
  }
  log(`  complaints: ${n} (${raised.length} overdue raised), survey ${last}: ${draw.drawn} drawn, ${answered} called (${Date.now() - t0} ms)`);
}
