import { DEMO_COUNTY } from './regions.js';
import { createHash } from 'node:crypto';
import { hashPassword } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { systemScope, userScope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { createAdHoc, listInspections, signOffInspection, submitInspection } from '../supervision/inspections.js';
import { addConflict, inspectorPool, targetPool } from '../supervision/pools.js';
import { computeRatings } from '../supervision/ratings.js';
import { announceRound, drandRoundAfter, drawRound } from '../supervision/rounds.js';
import { supervisionSettingsOf } from '../supervision/supervision.settings.js';
import { accountByUsername, insertAccounts } from '../users/accounts.js';
import { mulberry32, seedBits } from './generator.js';
import { DEMO_PASSWORD } from './seed.js';

/**
 * The demo county's supervision (issue 19), through the supervision module's public functions:
 * three inspectors (inspector1 of the seed, inspector2 and inspector3 added here), two declared
 * links, one round announced 40 days ago and drawn, its inspections filled (a few failures, one
 * serious), signed off and published, ratings computed today; and one round announced now and not
 * yet drawn (its drand round about a day ahead).
 *
 * The completed round's "drand value" is a synthetic stand-in — SHA-256 of 'yiyang-demo drand
 * round N' — not drand's real randomness (this machine cannot reach drand): the round re-runs to
 * the same result on the public page, but checking it against api.drand.sh would not match. A real
 * round takes the value drand published.
 */
export async function seedDemoSupervision(ctx: AppContext, seed: number, log: (s: string) => void = () => {}): Promise<void> {
  const t0 = Date.now();
  const rng = mulberry32(seedBits(seed) ^ 0x5e7a);
  const j = ctx.regions.get(DEMO_COUNTY);
  if (!j) return;
  const bureau = systemScope(j.code, j.prefix, 'system:demo');
  const hash = await hashPassword(DEMO_PASSWORD);
  const extra = [
    { username: 'inspector2', displayName: '监管人员乙', role: 'inspector', regionCode: j.code, passwordHash: hash },
    { username: 'inspector3', displayName: '监管人员丙', role: 'inspector', regionCode: j.code, passwordHash: hash },
  ];
  const missing = [];
  for (const a of extra) if (!(await accountByUsername(ctx.db, a.username))) missing.push(a);
  if (missing.length) await insertAccounts(ctx.db, missing, nowIso());
  const targets = await targetPool(ctx, j.code);
  const inspectors = await inspectorPool(ctx, j.code);
  if (targets.length < 2 || inspectors.length < 3) {
    log(`  supervision: skipped (${targets.length} targets, ${inspectors.length} inspectors)`);
    return;
  }
  // inspector2 once worked at the first target; inspector3's relative works at the second
  const byName = new Map(inspectors.map((i) => [i.name, i.id]));
  await addConflict(ctx, bureau, { inspectorId: byName.get('监管人员乙') ?? inspectors[1]!.id, targetKey: targets[0]!.key, relation: 'worked_there' });
  await addConflict(ctx, bureau, {
    inspectorId: byName.get('监管人员丙') ?? inspectors[2]!.id,
    targetKey: targets[1]!.key,
    relation: 'relative_works',
    note: '配偶在该单位任护理员',
  });

  const announcedAt = new Date(Date.now() - 40 * 86_400_000);
  const drandRound = drandRoundAfter(new Date(announcedAt.getTime() + 86_400_000));
  const { round, secret } = await announceRound(ctx, bureau, { name: '演示：本年度第一轮双随机抽查', checklistKey: 'comprehensive', drandRound }, announcedAt);
  const externalValue = createHash('sha256').update(`yiyang-demo drand round ${drandRound}`).digest('hex');
  const drawn = await drawRound(ctx, bureau, round.id, { secret, externalValue }, new Date(Date.parse(round.externalAt) + 60_000));
  const list = supervisionSettingsOf(ctx, j.code).checklists.find((c) => c.key === 'comprehensive')!;
  const inspectedOn = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  const notes: Record<string, string> = {
    fire_exits: '二楼东侧安全出口被杂物堵塞',
    fire_equipment: '两具灭火器压力不足，未见月检记录',
    food_samples: '留样记录缺少 3 天',
    hygiene_disinfection: '餐具消毒记录不全',
    fall_prevention: '卫生间扶手松动',
    service_records: '护理记录有补记现象',
  };
  const ids = (await listInspections(ctx, bureau, { roundId: round.id })).items
    .sort((a, b) => a.id - b.id)
    .map((r) => ({ id: r.id, inspector: r.inspectors[0]!.id }));
  let n = 0;
  for (const ins of ids) {
    const who = inspectors.find((i) => i.id === ins.inspector)!;
    const scope = userScope({ id: who.id, username: who.name, role: 'inspector' }, { code: j.code, prefix: j.prefix }, null);
    // the first drawn target fails a serious item; others fail a minor or major one now and then
    const items = list.items.map((i) => {
      const fail = n === 0 ? i.key === 'fire_exits' : notes[i.key] !== undefined && i.severity !== 'serious' && rng() < 0.25;
      return { itemKey: i.key, result: fail ? ('fail' as const) : ('pass' as const), note: fail ? (notes[i.key] ?? '不符合要求') : null };
    });
    await submitInspection(ctx, scope, ins.id, {
      inspectedOn,
      items,
      findings: n === 0 ? '安全出口堵塞，当场责令清理；其余项目基本符合要求。' : '总体符合要求。',
    });
    await signOffInspection(ctx, bureau, ins.id, {});
    n++;
  }
  // an ad-hoc inspection after a complaint, assigned and waiting for inspector1
  const free = targets.find((t) => !drawn.result!.targets.some((d) => d.key === t.key)) ?? targets[targets.length - 1]!;
  const inspector1 = await accountByUsername(ctx.db, 'inspector1');
  if (inspector1) await createAdHoc(ctx, bureau, { targetKey: free.key, checklistKey: 'comprehensive', inspectorIds: [inspector1.id] });
  await computeRatings(ctx, bureau, today());
  // the next round: announced now, drawn once drand's round is out (about a day ahead)
  await announceRound(ctx, bureau, {
    name: '演示：本年度第二轮双随机抽查（已公告，待抽取）',
    checklistKey: 'comprehensive',
    drandRound: drandRoundAfter(new Date(Date.now() + 86_400_000)),
  });
  log(`  supervision: ${targets.length} targets, ${inspectors.length} inspectors, ${ids.length} inspections published, 2 rounds (${Date.now() - t0} ms)`);
}
