import { seedDemoAdmission } from './admission.js';
import { seedDemoSupervision } from './supervision.js';
import { seedDemoAlarms } from './alarms.js';
import { seedDemoComplaints } from './complaints.js';
import { seedDemoFacilities, seedDemoRosterAtRatio } from './facilities.js';
import { seedDemoAssessments } from './assessments.js';
import { seedDemoEntitlements } from './entitlements.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../../platform/context.js';
import { hashPassword } from '../../platform/auth.js';
import type { Role } from '../../platform/policy.js';
import { systemScope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { insertRegions } from '../regions/regions.repository.js';
import { insertAccounts } from '../users/accounts.js';
import { readMarker, writeMarker } from '../../platform/settings.js';
import { runImport } from '../register/imports/imports.service.js';
import { writeDemoFiles } from './files.js';
import { seedDemoServices } from './services.js';
import { seedDemoVisits } from './visits.js';
import { DEMO_CITY, DEMO_COUNTY, DEMO_COUNTY2, demoRegions, type DemoRegion } from './regions.js';
import { catalogueSetting } from '../catalogue/catalogue.settings.js';
import { seedDemoShapes } from './shapes.js';
import { roleWords } from '../vocabulary.js';

/**
 * The demo jurisdiction: the generated county, one account per role, and the seven department
 * files imported through the same import path a bureau uses.
 */
export const DEMO_PASSWORD = 'Yiyang@2026';

export interface DemoAccount {
  username: string;
  role: Role;
  displayName: string;
  regionCode: string;
}

export function demoAccounts(opts: { second?: boolean } = {}): DemoAccount[] {
  const regions = demoRegions(opts);
  const towns = regions.filter((r) => r.level === 'town');
  const town1 = towns[0]!;
  const town2 = towns[1]!;
  const village1 = regions.find((r) => r.parent_code === town1.code)!;
  return [
    { username: 'admin', role: 'bureau_admin', displayName: '县民政局管理员', regionCode: DEMO_COUNTY },
    // a second bureau account: the checker of payment rolls the first one made or edited
    { username: 'checker1', role: 'bureau_admin', displayName: '县民政局审核员', regionCode: DEMO_COUNTY },
    { username: 'town1', role: 'town_officer', displayName: `${town1.name}工作人员`, regionCode: town1.code },
    { username: 'town2', role: 'town_officer', displayName: `${town2.name}工作人员`, regionCode: town2.code },
    { username: 'grid1', role: 'grid_worker', displayName: `${village1.name}网格员`, regionCode: village1.code },
    // issue 16: the village's head, who supervises its visits, and a volunteer who visits and keeps hours
    { username: 'head1', role: 'village_head', displayName: `${village1.name}负责人`, regionCode: village1.code },
    { username: 'vol1', role: 'volunteer', displayName: `${village1.name}志愿者`, regionCode: village1.code },
    { username: 'assessor1', role: 'assessor', displayName: `${town1.name}评估员`, regionCode: town1.code },
    // the county's assessment organisation: the second assessor the standard requires (GB/T 42195-2022)
    { username: 'assessor2', role: 'assessor', displayName: '县评估机构评估员甲', regionCode: DEMO_COUNTY },
    { username: 'assessor3', role: 'assessor', displayName: '县评估机构评估员乙', regionCode: DEMO_COUNTY },
    { username: 'provider1', role: 'provider', displayName: '如意居家养老服务中心', regionCode: DEMO_COUNTY },
    // issue 17: the provider's caregivers, who check in and out on the phone and see only their own visits
    // (role 'caregiver'; their organisation is set by demo/services.ts)
    { username: 'caregiver1', role: 'caregiver', displayName: '护理员王秀英', regionCode: DEMO_COUNTY },
    { username: 'caregiver2', role: 'caregiver', displayName: '护理员李建国', regionCode: DEMO_COUNTY },
    { username: 'institution1', role: 'institution_staff', displayName: '养老机构工作人员', regionCode: DEMO_COUNTY },
    { username: 'hotline1', role: 'hotline_operator', displayName: '12349 热线接线员', regionCode: DEMO_COUNTY },
    // issue 18: a second operator on the shift, and the shift's supervisor who takes escalations
    { username: 'hotline2', role: 'hotline_operator', displayName: '12349 热线接线员乙', regionCode: DEMO_COUNTY },
    { username: 'hotlinelead', role: 'hotline_supervisor', displayName: '12349 热线值班长', regionCode: DEMO_COUNTY },
    { username: 'inspector1', role: 'inspector', displayName: '监管人员', regionCode: DEMO_COUNTY },
    ...(opts.second ? secondCountyAccounts(regions) : []),
  ];
}

/** Issue 21: the city's bureau, which sees across both counties, and the second county's own bureau and town officer. */
function secondCountyAccounts(regions: DemoRegion[]): DemoAccount[] {
  const town = regions.find((r) => r.level === 'town' && r.parent_code === DEMO_COUNTY2)!;
  return [
    { username: 'city1', role: 'bureau_admin', displayName: '市民政局管理员', regionCode: DEMO_CITY },
    { username: 'admin2', role: 'bureau_admin', displayName: '石湖县民政局管理员', regionCode: DEMO_COUNTY2 },
    { username: 'town21', role: 'town_officer', displayName: `${town.name}工作人员`, regionCode: town.code },
  ];
}

/**
 * Every demo login, as start-up prints them: the accounts above and those a module's demo adds
 * (the supervision demo's inspector2 and inspector3, so a round draws from several inspectors).
 */
export function demoLogins(opts: { second?: boolean } = {}): DemoAccount[] {
  return [
    ...demoAccounts(opts),
    { username: 'inspector2', role: 'inspector', displayName: '监管人员乙', regionCode: DEMO_COUNTY },
    { username: 'inspector3', role: 'inspector', displayName: '监管人员丙', regionCode: DEMO_COUNTY },
  ];
}

/** The demo accounts as start-up prints them: user name, role in words (民政局管理员 / Bureau admin), display name. */
export function demoAccountLines(accounts: readonly DemoAccount[]): string[] {
  return accounts.map((a) => {
    const role = roleWords[a.role];
    return `  ${a.username.padEnd(13)} ${`${role.zh} / ${role.en}`.padEnd(30)} ${a.displayName}`;
  });
}

export async function seedRegionsAndUsers(ctx: AppContext, opts: { second?: boolean } = {}): Promise<DemoAccount[]> {
  await insertRegions(ctx.db, demoRegions(opts));
  await ctx.regions.reload(ctx.db);
  await seedDemoShapes(ctx, opts); // issue 20: the regions' synthetic outlines, for the indicator map
  const password = await hashPassword(DEMO_PASSWORD);
  const accounts = demoAccounts(opts);
  await insertAccounts(
    ctx.db,
    accounts.map((a) => ({ ...a, passwordHash: password })),
    nowIso(),
  );
  await writeMarker(ctx.db, 'demo', JSON.stringify({ seededAt: nowIso() }));
  return accounts;
}

/**
 * The demo: 青溪县 with every capability's data; with `second` (what `npm start` seeds), the city's
 * second county 石湖县 beside it, on Daye's catalogue, with its own register (half as many elders),
 * runs and rolls, and a city bureau account that sees across both.
 */
export async function seedDemo(ctx: AppContext, opts: { elders: number; seed: number; second?: boolean }, log: (s: string) => void = () => {}) {
  const accounts = await seedRegionsAndUsers(ctx, { second: opts.second });
  const county = ctx.regions.get(DEMO_COUNTY)!;
  const scope = systemScope(county.code, county.prefix, 'system:demo');
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-demo-'));
  try {
    const files = await writeDemoFiles(dir, { elders: opts.elders, seed: opts.seed, asOf: today() });
    for (const f of files) {
      const done = await runImport(ctx, scope, { source: f.source, path: f.path, fileName: `${f.source}.csv` });
      log(`  ${f.source}: ${done.rows_total} rows, ${done.created} new, ${done.updated} updated`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await seedDemoAssessments(ctx, scope, opts.seed, log);
  await seedDemoEntitlements(ctx, scope, log);
  await seedDemoVisits(ctx, scope, opts.seed, log);
  await seedDemoServices(ctx, scope, opts.seed, log);
  // issue 18 (alarms-reports): devices, contacts, three months of alarms and calls, a live queue
  await seedDemoAlarms(ctx, opts.seed, log);
  // end alarms-reports
  // issue 19: facilities, beds, staff, residents (institution1 staffs the public institution)
  await seedDemoFacilities(ctx, scope, opts.seed, log);
  // issue 19 (admission): applications to the demo's public institution, a few moves, one offer
  await seedDemoAdmission(ctx, scope, opts.seed, log);
  // issue 19 (facilities): the public institution's caregivers exactly at the ratio for its residents, admission's included
  await seedDemoRosterAtRatio(ctx, scope, opts.seed, log);
  // issue 19 (complaints): fifteen complaints in every state (one overdue, one from the hotline), last month's survey answered
  await seedDemoComplaints(ctx, opts.seed, log);
  // issue 19 (supervision): inspectors' links, one drawn round with published results, ratings, one round announced
  await seedDemoSupervision(ctx, opts.seed, log);
  if (opts.second) await seedSecondCounty(ctx, opts, log);
  return accounts;
}

/** 石湖县: Daye's catalogue in force, its department files imported by its bureau, its demo standards and two months' runs. */
async function seedSecondCounty(ctx: AppContext, opts: { elders: number; seed: number }, log: (s: string) => void): Promise<void> {
  const county = ctx.regions.get(DEMO_COUNTY2)!;
  const city = ctx.regions.get(DEMO_CITY)!;
  log(`  ${county.name}:`);
  await ctx.settings.set(
    ctx,
    systemScope(city.code, city.prefix, 'system:demo'),
    county.code,
    catalogueSetting.name,
    'daye',
    '演示：石湖县执行大冶市基本养老服务清单（与青溪县的南浔区清单并行）',
  );
  const scope = systemScope(county.code, county.prefix, 'system:demo');
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-demo-'));
  try {
    const files = await writeDemoFiles(dir, { elders: Math.max(1, Math.round(opts.elders / 2)), seed: `${opts.seed}-2`, asOf: today(), county: county.code });
    for (const f of files) {
      const done = await runImport(ctx, scope, { source: f.source, path: f.path, fileName: `${f.source}.csv` });
      log(`  ${f.source}: ${done.rows_total} rows, ${done.created} new, ${done.updated} updated`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await seedDemoEntitlements(ctx, scope, log);
}

export async function isDemo(ctx: AppContext): Promise<boolean> {
  return (await readMarker(ctx.db, 'demo')) !== null;
}
