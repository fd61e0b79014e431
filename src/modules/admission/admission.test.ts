import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import type { Scope } from '../../platform/scope.js';
import { AppError, formatMessage } from '../../platform/errors.js';
import { nowIso } from '../../platform/time.js';
import { codeOf, countyScope, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs } from '../../testing/http.js';
import { currentResidence } from '../facilities/directory.js';
import { publicFacility } from '../facilities/public.js';
import { DEFAULT_ADMISSION_SETTINGS, type AdmissionSettings } from './admission.settings.js';
import type { ApplyReply, TrackReply } from './admission.schema.js';
import { acceptOffer, applyFor, declineOffer, detail, offerBed, queueOf, refreshQueues, withdraw } from './applications.js';
import { maskedName } from './tracking.js';
import { normaliseCode, newTrackingCode } from './tracking-code.js';

describe('tracking codes (pure)', () => {
  it('carry 100 bits in five groups of four, and read back whatever the case, spaces or look-alike letters', () => {
    const c = newTrackingCode();
    expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    expect(new Set(Array.from({ length: 50 }, () => newTrackingCode())).size).toBe(50);
    expect(normaliseCode(c.toLowerCase().replace(/-/g, ' '))).toBe(c.replace(/-/g, ''));
    expect(normaliseCode('O0IL-0000-0000-0000-0000')).toBe('00110000000000000000');
    expect(normaliseCode('ABC')).toBeNull();
    expect(normaliseCode('UUUU-0000-0000-0000-0000')).toBeNull();
  });
  it('masks a name to its surname', () => {
    expect(maskedName('王桂兰')).toBe('王**');
    expect(maskedName('李四')).toBe('李**');
  });
});

describe.each(dialects)('admission queue on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let county: Scope;
  let town1: string;
  let town2: string;
  let publicId: number;
  let privateId: number;
  let n = 0;

  async function facility(name: string, ownership: string, kind = 'institution') {
    const now = nowIso();
    const { id } = await ctx.db
      .insertInto('facilities')
      .values({
        name,
        kind,
        ownership,
        region_code: ctx.regions.counties()[0]!.code,
        address: '测试路1号',
        lat: null,
        lng: null,
        grade: null,
        government_work: 0,
        provider_id: null,
        hardship_home: 0,
        active: 1,
        created_at: now,
        updated_at: now,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }
  async function bed(facilityId: number, label: string, type = 'ordinary') {
    const { id } = await ctx.db
      .insertInto('facility_beds')
      .values({ facility_id: facilityId, label, type, added_on: '2020-01-01', retired_on: null } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }
  async function person(name: string, birth: string, extra: Partial<NewPerson> = {}, region = town1) {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `330503********${String(n).padStart(4, '0')}`,
      name,
      sex: 'F',
      birth_date: birth,
      region_code: region,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: null,
      status: 'active',
      closed_on: null,
      hardship: 'none',
      provenance: '{}',
      created_at: now,
      updated_at: now,
      ...extra,
    } as NewPerson;
    const { id } = await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  }
  const setSettings = (s: AdmissionSettings) => ctx.settings.set(ctx, county, ctx.regions.counties()[0]!.code, 'admission_queue', s, '测试');
  const order = async (facilityId: number, bedType: 'ordinary' | 'nursing' = 'ordinary') =>
    (await queueOf(ctx, county, { facilityId, bedType })).items.map((i) => [i.name, i.position]);

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    app = await buildApp(ctx);
    county = countyScope(ctx);
    const towns = ctx.regions.all().filter((r) => r.kind === 'town');
    town1 = (await userScope(ctx, 'town1')).regionCode;
    town2 = (await userScope(ctx, 'town2')).regionCode;
    expect(towns.length).toBeGreaterThan(1);
    publicId = await facility('县社会福利院', 'public');
    privateId = await facility('康乐民办养老院', 'private');
  });
  afterAll(async () => {
    await app.close();
    await ctx.cleanup();
  });
  afterEach(async () => {
    await setSettings(DEFAULT_ADMISSION_SETTINGS);
  });

  describe('ranking', () => {
    let fid: number;
    const ids: Record<string, number> = {};
    const apps: Record<string, number> = {};
    beforeAll(async () => {
      fid = await facility('县第二福利院', 'public_private');
      ids.none = await person('普通甲', '1955-05-01');
      ids.old = await person('高龄乙', '1940-05-01');
      ids.old2 = await person('高龄丙', '1941-05-01');
      ids.special = await person('计生丁', '1955-05-01', { special_family: 1 } as Partial<NewPerson>);
      ids.contrib = await person('贡献戊', '1955-05-01', { special_contribution: 1 } as Partial<NewPerson>);
      ids.hard = await person('困难己', '1955-05-01', { hardship: 'dibao', living_alone: 1 } as Partial<NewPerson>);
      ids.oldPref = await person('烈属庚', '1944-05-01', { veteran_category: 'martyr_family' } as Partial<NewPerson>);
      ids.tekun = await person('特困辛', '1955-05-01', { hardship: 'tekun_dispersed' });
      const plan: [string, string][] = [
        ['none', '2026-01-01'],
        ['old', '2026-01-10'],
        ['old2', '2026-01-10'],
        ['special', '2026-02-01'],
        ['contrib', '2026-02-01'],
        ['hard', '2026-05-01'],
        ['oldPref', '2026-03-01'],
        ['tekun', '2026-06-01'],
      ];
      for (const [k, on] of plan)
        apps[k] = (await applyFor(ctx, county, { personId: ids[k]!, facilityId: fid, bedType: 'ordinary', appliedOn: on })).application.id;
    });

    it('orders by tier (特困, hardship with care needs, 80+, special family, contribution, none), then 同等条件下优先, then date, then number', async () => {
      expect(await order(fid)).toEqual([
        ['特困辛', 1],
        ['困难己', 2],
        ['烈属庚', 3],
        ['高龄乙', 4],
        ['高龄丙', 5],
        ['计生丁', 6],
        ['贡献戊', 7],
        ['普通甲', 8],
      ]);
      const page2 = await queueOf(ctx, county, { facilityId: fid, bedType: 'ordinary', page: 2, pageSize: 3 });
      expect(page2).toMatchObject({ total: 8, page: 2, pageSize: 3 });
      expect(page2.items.map((i) => i.position)).toEqual([4, 5, 6]);
      const d = await detail(ctx, county, apps.oldPref!);
      expect(d.application.tier).toBe(3);
      expect(d.why.held.map((h) => h.zh).join(' ')).toMatch(/80/);
      expect(d.why.preferred?.held.map((h) => h.zh).join(' ')).toMatch(/烈属/);
    });

    it('records each change of place with its reason: a preferred applicant of the same tier, then a higher tier', async () => {
      const h = (await detail(ctx, county, apps.old!)).history;
      expect(h[0]).toMatchObject({ from: null, to: 1 });
      const reasons = h.map((r) => r.reason.zh);
      expect(reasons).toContain('一位同一优先级且属于同等条件下优先对象的申请人加入，您后移1位');
      expect(reasons.at(-1)).toBe('一位更高优先级的申请人加入，您后移1位');
      expect(h.at(-1)).toMatchObject({ from: 3, to: 4 });
      const audits = await ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'admission.reorder').execute();
      expect(audits.length).toBeGreaterThanOrEqual(8);
    });

    it('the open-point settings flip the order', async () => {
      await setSettings({ ...DEFAULT_ADMISSION_SETTINGS, preferencePassesEarlier: false });
      await refreshQueues(ctx, county);
      expect((await order(fid)).slice(2, 5)).toEqual([
        ['高龄乙', 3],
        ['高龄丙', 4],
        ['烈属庚', 5],
      ]);

      await setSettings({ ...DEFAULT_ADMISSION_SETTINGS, groupsOrdered: false });
      await refreshQueues(ctx, county);
      // 特困 stays first; the priority groups are one tier: the preferred first, then by date
      expect((await order(fid)).map((r) => r[0])).toEqual(['特困辛', '烈属庚', '高龄乙', '高龄丙', '计生丁', '贡献戊', '困难己', '普通甲']);

      await setSettings({ ...DEFAULT_ADMISSION_SETTINGS, hardshipQualifies: 'all_groups' });
      await refreshQueues(ctx, county);
      // 80+, special family and contribution now need hardship too: they fall to the general applicants
      expect((await order(fid)).map((r) => r[0])).toEqual(['特困辛', '困难己', '烈属庚', '普通甲', '高龄乙', '高龄丙', '计生丁', '贡献戊']);

      await setSettings(DEFAULT_ADMISSION_SETTINGS);
      await refreshQueues(ctx, county);
      expect((await order(fid))[2]).toEqual(['烈属庚', 3]);
    });

    it('a change of facts moves the applicant at the daily refresh, saying so', async () => {
      await ctx.db.updateTable('persons').set({ hardship: 'tekun_concentrated' }).where('id', '=', ids.none!).execute();
      await refreshQueues(ctx, county);
      const d = await detail(ctx, county, apps.none!);
      // applied on 2026-01-01, before the other 特困 applicant
      expect(d.application.position).toBe(1);
      expect(d.history.at(-1)!.reason.zh).toBe('您的情况变化：现属于“特困人员”，您前移7位');
      expect((await detail(ctx, county, apps.tekun!)).history.at(-1)!.reason.zh).toBe('其他申请人的情况或轮候排序规则变化，您后移1位');
      await ctx.db.updateTable('persons').set({ hardship: 'none' }).where('id', '=', ids.none!).execute();
      await refreshQueues(ctx, county);
      expect((await detail(ctx, county, apps.none!)).application.position).toBe(8);
    });
  });

  describe('offers', () => {
    it('offers a free bed to the first waiting applicant only; accepted admits them and moves the next up', async () => {
      const fid = await facility('县第三福利院', 'public');
      const b1 = await bed(fid, 'A-101');
      await bed(fid, 'N-201', 'nursing');
      const a = await person('入住甲', '1940-01-01');
      const b = await person('入住乙', '1941-01-01');
      const appA = (await applyFor(ctx, county, { personId: a, facilityId: fid, bedType: 'ordinary', appliedOn: '2026-01-01' })).application.id;
      const appB = (await applyFor(ctx, county, { personId: b, facilityId: fid, bedType: 'ordinary', appliedOn: '2026-02-01' })).application.id;
      // A also waits at another institution
      const other = await facility('县第七福利院', 'public');
      const appA2 = (await applyFor(ctx, county, { personId: a, facilityId: other, bedType: 'ordinary', appliedOn: '2026-01-05' })).application.id;
      expect(await codeOf(offerBed(ctx, county, appB, b1))).toBe('ADMISSION_NOT_FIRST');
      expect(await codeOf(offerBed(ctx, county, appA, b1 + 1))).toBe('ADMISSION_BED_NOT_FREE');
      const offered = await offerBed(ctx, county, appA, b1);
      expect(offered.application).toMatchObject({ status: 'offered', position: 1, offer: { bedLabel: 'A-101' } });
      const accepted = await acceptOffer(ctx, county, appA, '2026-11-30');
      expect(accepted.application).toMatchObject({ status: 'admitted', position: null });
      expect((await currentResidence(ctx.db, [a])).get(a)).toMatchObject({ facilityId: fid });
      const nb = await detail(ctx, county, appB);
      expect(nb.application.position).toBe(1);
      expect(nb.history.at(-1)!.reason.zh).toBe('排在您前面的申请人已入住，您前移1位');
      const elsewhere = await detail(ctx, county, appA2);
      expect(elsewhere.application).toMatchObject({ status: 'withdrawn', position: null });
      expect(elsewhere.history.at(-1)!.reason.zh).toBe('已入住其他机构，申请自动撤回，退出轮候');
    });

    it('a bed on offer is not free for the queue, beds sort naturally, and a refusal names the bed by label and why', async () => {
      const fid = await facility('县第九福利院', 'public');
      for (const l of ['C-10', 'C-2', 'C-1']) await bed(fid, l);
      const c1 = (await queueOf(ctx, county, { facilityId: fid, bedType: 'ordinary' })).freeBeds.find((b) => b.label === 'C-1')!.id;
      const a = await person('床位甲', '1940-01-01');
      const b = await person('床位乙', '1941-01-01');
      const appA = (await applyFor(ctx, county, { personId: a, facilityId: fid, bedType: 'ordinary', appliedOn: '2026-01-01' })).application.id;
      const appB = (await applyFor(ctx, county, { personId: b, facilityId: fid, bedType: 'ordinary', appliedOn: '2026-02-01' })).application.id;
      expect((await queueOf(ctx, county, { facilityId: fid, bedType: 'ordinary' })).freeBeds.map((x) => x.label)).toEqual(['C-1', 'C-2', 'C-10']);
      const publicFree = async () => {
        const f = (await publicFacility(ctx, fid))!;
        return [f.freeBeds, f.byType.find((t) => t.type === 'ordinary')!.free];
      };
      expect(await publicFree()).toEqual([3, 3]);
      await offerBed(ctx, county, appA, c1);
      expect((await queueOf(ctx, county, { facilityId: fid, bedType: 'ordinary' })).freeBeds.map((x) => x.label)).toEqual(['C-2', 'C-10']);
      // the public facility page and map do not offer a family the bed promised to another
      expect(await publicFree()).toEqual([2, 2]);
      const e = await offerBed(ctx, county, appB, c1).catch((x: unknown) => x as AppError);
      expect(e).toBeInstanceOf(AppError);
      const zh = formatMessage('ADMISSION_BED_NOT_FREE', (e as AppError<'ADMISSION_BED_NOT_FREE'>).params, 'zh-CN');
      expect(zh).toContain('C-1');
      expect(zh).toContain('已提供给另一位申请人');
      expect(zh).not.toMatch(/bedId|编号/);
      // once taken, or of another type, the bed is named and the reason said in words
      const words = async (bedId: number) =>
        offerBed(ctx, county, appB, bedId).then(
          () => '',
          (x: AppError<'ADMISSION_BED_NOT_FREE'>) => formatMessage('ADMISSION_BED_NOT_FREE', x.params, 'zh-CN'),
        );
      await acceptOffer(ctx, county, appA, '2026-11-30');
      expect(await words(c1)).toBe('床位 C-1 已有人入住：请选择“县第九福利院”另一张空闲的普通床位，未做任何更改');
      const n1 = await bed(fid, 'N-1', 'nursing');
      expect(await words(n1)).toBe('床位 N-1 是护理型床位：请选择“县第九福利院”另一张空闲的普通床位，未做任何更改');
    });

    it('a declined bed sends the family to the back of its tier by default, or keeps its place', async () => {
      const fid = await facility('县第四福利院', 'public');
      const b1 = await bed(fid, 'B-101');
      const a = await person('放弃甲', '1940-01-01');
      const b = await person('放弃乙', '1941-01-01');
      const appA = (await applyFor(ctx, county, { personId: a, facilityId: fid, bedType: 'ordinary', appliedOn: '2026-01-01' })).application.id;
      await applyFor(ctx, county, { personId: b, facilityId: fid, bedType: 'ordinary', appliedOn: '2026-02-01' });
      await setSettings({ ...DEFAULT_ADMISSION_SETTINGS, onDecline: 'keep' });
      await offerBed(ctx, county, appA, b1);
      expect((await declineOffer(ctx, county, appA)).application).toMatchObject({ status: 'waiting', position: 1, declines: 1 });
      await setSettings(DEFAULT_ADMISSION_SETTINGS);
      await offerBed(ctx, county, appA, b1);
      const d = await declineOffer(ctx, county, appA);
      expect(d.application).toMatchObject({ status: 'waiting', position: 2, declines: 2 });
      expect(d.history.at(-1)!.reason.zh).toMatch(/放弃了提供的床位.*第2位/);
      expect(await codeOf(declineOffer(ctx, county, appA))).toBe('ADMISSION_NOT_OFFERED');
    });
  });

  describe('bad input', () => {
    const count = async () =>
      Number(
        (
          await ctx.db
            .selectFrom('admission_applications')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('a person outside the officer’s scope is not found; nothing is written', async () => {
      const other = await person('外镇甲', '1940-01-01', {}, town2);
      const before = await count();
      const t1 = await userScope(ctx, 'town1');
      expect(await codeOf(applyFor(ctx, t1, { personId: other, facilityId: publicId, bedType: 'ordinary' }))).toBe('ADMISSION_PERSON_NOT_FOUND');
      expect(await codeOf(applyFor(ctx, t1, { personId: 999_999, facilityId: publicId, bedType: 'ordinary' }))).toBe('ADMISSION_PERSON_NOT_FOUND');
      expect(await count()).toBe(before);
    });

    it('a private institution is refused naming the field and why; a second open application too', async () => {
      const p = await person('重复甲', '1940-01-01');
      const s = await loginAs(app, 'admin');
      const res = await call(app, s, {
        method: 'POST',
        url: '/api/admission/applications',
        payload: { personId: p, facilityId: privateId, bedType: 'ordinary' },
      });
      expect(res.statusCode).toBe(422);
      expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({
        code: 'ADMISSION_FACILITY_NOT_PUBLIC',
        message: expect.stringMatching(/facilityId.*民办/),
      });
      const ok = await call(app, s, {
        method: 'POST',
        url: '/api/admission/applications',
        payload: { personId: p, facilityId: publicId, bedType: 'ordinary' },
      });
      expect(ok.statusCode).toBe(201);
      const before = await count();
      const again = await call(app, s, {
        method: 'POST',
        url: '/api/admission/applications',
        payload: { personId: p, facilityId: publicId, bedType: 'nursing' },
      });
      expect(again.statusCode).toBe(409);
      expect(again.json<{ error: { code: string; message: string } }>().error.message).toMatch(/personId.*县社会福利院/);
      expect(await count()).toBe(before);
      const bad = await call(app, s, { method: 'POST', url: '/api/admission/applications', payload: { personId: p, facilityId: publicId, bedType: 'luxury' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<{ error: { message: string } }>().error.message).toMatch(/bedType/);
      const future = await call(app, s, {
        method: 'POST',
        url: '/api/admission/applications',
        payload: { personId: p, facilityId: publicId, bedType: 'ordinary', appliedOn: '2999-01-01' },
      });
      expect(errorCode(future)).toBe('ADMISSION_DATE');
    });

    it('withdrawing closes the application and the next moves up; a withdrawn one cannot be withdrawn again', async () => {
      const fid = await facility('县第五福利院', 'public');
      const a = await person('撤回甲', '1940-01-01');
      const b = await person('撤回乙', '1941-01-01');
      const appA = (await applyFor(ctx, county, { personId: a, facilityId: fid, bedType: 'nursing', appliedOn: '2026-01-01' })).application.id;
      const appB = (await applyFor(ctx, county, { personId: b, facilityId: fid, bedType: 'nursing', appliedOn: '2026-01-02' })).application.id;
      expect((await withdraw(ctx, county, appA)).application.status).toBe('withdrawn');
      expect((await detail(ctx, county, appB)).history.at(-1)!.reason.zh).toBe('排在您前面的申请人已撤回申请，您前移1位');
      expect(await codeOf(withdraw(ctx, county, appA))).toBe('ADMISSION_NOT_OPEN');
      // town2's officer does not see town1's application
      expect(await codeOf(detail(ctx, await userScope(ctx, 'town2'), appB))).toBe('ADMISSION_APPLICATION_NOT_FOUND');
    });
  });

  describe('public tracking', () => {
    it('shows the place, the rule and the history by the receipt’s code, with a masked surname only; a wrong code is a plain not-found', async () => {
      const fid = await facility('县第六福利院', 'public');
      const s = await loginAs(app, 'town1');
      const p1 = await person('赵桂兰', '1940-01-01');
      const p2 = await person('钱秀英', '1950-01-01', { hardship: 'tekun_dispersed' });
      const r1 = await call(app, s, { method: 'POST', url: '/api/admission/applications', payload: { personId: p1, facilityId: fid, bedType: 'ordinary' } });
      expect(r1.statusCode).toBe(201);
      const code = r1.json<ApplyReply>().trackingCode;
      const stored = await ctx.db.selectFrom('admission_applications').select('code_hash').where('person_id', '=', p1).executeTakeFirstOrThrow();
      expect(stored.code_hash).not.toContain(code.replace(/-/g, ''));
      const t1 = await call(app, null, { method: 'POST', url: '/api/admission/public/track', payload: { code: code.toLowerCase() } });
      expect(t1.statusCode).toBe(200);
      expect(t1.json<TrackReply>()).toMatchObject({ maskedName: '赵**', position: 1, facilityName: '县第六福利院', why: { tier: 3 } });
      expect(t1.body).not.toContain('赵桂兰');
      await call(app, s, { method: 'POST', url: '/api/admission/applications', payload: { personId: p2, facilityId: fid, bedType: 'ordinary' } });
      const t2 = (await call(app, null, { method: 'POST', url: '/api/admission/public/track', payload: { code } })).json<TrackReply>();
      expect(t2.position).toBe(2);
      expect(t2.history.at(-1)!.reason.zh).toBe('一位更高优先级的申请人加入，您后移1位');

      const looks = async () => (await ctx.db.selectFrom('audit_log').select('seq').where('action', '=', 'admission.track').execute()).length;
      const before = await looks();
      const wrong = await call(app, null, { method: 'POST', url: '/api/admission/public/track', payload: { code: newTrackingCode() } });
      const malformed = await call(app, null, { method: 'POST', url: '/api/admission/public/track', payload: { code: 'hello' } });
      expect(wrong.statusCode).toBe(404);
      expect(malformed.statusCode).toBe(404);
      expect(wrong.body).toBe(malformed.body);
      expect(errorCode(wrong)).toBe('ADMISSION_CODE_NOT_FOUND');
      // both misses are on the record (anonymous, with the caller's address), as the hits are
      expect(await looks()).toBe(before + 2);
    });
  });
});
