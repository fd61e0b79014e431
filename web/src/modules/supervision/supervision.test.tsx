// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import { pageHarness, settle } from '../../app-harness';
import { LOCALE_KEY } from '../../i18n';
import type { FormulaReply, RatingView, RoundView } from './api';
import { PublicSupervisionPage } from './public';
import { RatingsPage } from './ratings';
import { RoundDetails } from './round-view';

/**
 * The ratings page: every score is explained term by term, the serious-finding cap as a line of its
 * own with the inspection and item that caused it and what it did to the score, in zh and en.
 */
const admin = {
  user: { id: 1, username: 'admin', displayName: '县民政局管理员', role: 'county_admin', regionCode: '990101', regionName: '演示县' },
  actions: ['supervision.read', 'supervision.manage'],
  csrfToken: 'x',
};
const term = (key: string, input: number, pointsPerUnit: number, maxPoints: number, points: number) => ({
  key,
  input,
  pointsPerUnit,
  maxPoints,
  points,
  applies: true,
});
const rating = {
  targetKey: 'facility:1',
  targetName: '县社会福利中心',
  regionCode: '990101',
  computedOn: '2026-12-01',
  windowFrom: '2025-12-02',
  windowTo: '2026-12-01',
  score: 74,
  grade: 'C',
  capped: true,
  explanation: {
    terms: [term('finding_minor', 0, 1, 10, 0), term('finding_serious', 1, 10, 30, 10)],
    rawScore: 90,
    rawGrade: 'A',
    cap: {
      reason: 'serious_finding',
      maxGrade: 'C',
      applied: true,
      scoreBefore: 90,
      scoreAfter: 74,
      seriousFindings: [{ inspectionId: 12, itemKey: 'fire_exits' }],
    },
    score: 74,
    grade: 'C',
    satisfaction: null,
  },
} as RatingView;
const formula = {
  formula: { seriousFindingCap: 'C' },
  drawShares: {},
  termLabels: {
    finding_minor: { zh: '检查一般问题（项）', en: 'Minor inspection findings' },
    finding_serious: { zh: '检查严重问题（项）', en: 'Serious inspection findings' },
  },
  checklists: [
    {
      key: 'comprehensive',
      label: { zh: '综合检查', en: 'Comprehensive' },
      items: [{ key: 'fire_exits', label: { zh: '疏散通道畅通', en: 'Escape routes open' }, severity: 'serious' }],
    },
  ],
} as unknown as FormulaReply;
const byTestId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);
const explainFirst = async () => {
  const button = [...document.body.querySelectorAll('[data-testid="sv-ratings"] button')][0] as HTMLButtonElement;
  await act(async () => button.click());
  await settle();
};

describe('the credit ratings page', () => {
  const page = pageHarness();
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const url = String(input);
        if (url === '/api/auth/me') return json(admin);
        if (url === '/api/supervision/ratings') return json({ items: [rating] });
        if (url === '/api/supervision/public/formula') return json(formula);
        return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('explains the cap as its own line: the inspection and item, the grade it holds and the score it moved (zh)', async () => {
    await page.show('/supervision/ratings', '/supervision/ratings', <RatingsPage />);
    await explainFirst();
    const cap = byTestId('sv-cap-line')!;
    expect(cap.textContent).toBe('严重问题封顶：评价期间内有严重问题（检查 #12，项目 疏散通道畅通），等级最高为 C，得分由 90 降至 74（C 级上限）');
    expect(byTestId('sv-explanation')!.textContent).toContain('最终得分 74，等级 C');
  });

  it('says the same in English, and the grade and its cap tag are two words', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await page.show('/supervision/ratings', '/supervision/ratings', <RatingsPage />);
    expect(byTestId('sv-ratings')!.textContent).toContain('C capped');
    await explainFirst();
    expect(byTestId('sv-cap-line')!.textContent).toBe(
      'Serious-finding cap: a serious finding in the window (inspection #12, item Escape routes open) holds the grade at most at C: the score drops from 90 to 74 (the top of grade C)',
    );
  });
});

const round = {
  id: 1,
  name: '演示：第一轮双随机抽查',
  status: 'drawn',
  checklistKey: 'comprehensive',
  pools: {
    version: 1,
    targets: [
      { key: 'facility:1', name: '县社会福利中心', stratum: 'unrated' },
      { key: 'provider:1', name: '如意居家养老服务中心', stratum: 'unrated' },
    ],
    inspectors: [
      { id: 18, name: '监管人员' },
      { id: 82, name: '监管人员乙' },
    ],
    conflicts: [[82, 'facility:1']],
    counts: { unrated: 2 },
    inspectorsPerTarget: 1,
  },
  poolsDigest: 'd'.repeat(64),
  commitment: 'c'.repeat(64),
  externalSource: 'drand',
  externalRound: 6576674,
  externalAt: '2026-10-23T04:54:00.000Z',
  announcedAt: '2026-10-23T04:00:00.000Z',
  secret: 'e'.repeat(64),
  externalValue: 'f'.repeat(64),
  seed: 'a'.repeat(64),
  result: { targets: [{ key: 'facility:1', stratum: 'unrated', inspectors: [18] }] },
  drawnAt: '2026-10-23T05:00:00.000Z',
  algorithm: 'yiyang-draw-v1',
} as RoundView;

describe('a round as published', () => {
  const page = pageHarness();
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) =>
        String(input) === '/api/auth/me'
          ? new Response(JSON.stringify(admin), { status: 200 })
          : new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }), { status: 404 }),
      ),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('names targets, inspectors and conflicts in words, never by internal key or id (zh and en)', async () => {
    await page.show('/supervision/rounds/1', '/supervision/rounds/:id', <RoundDetails round={round} />);
    const text = byTestId('sv-round')!.textContent!;
    for (const code of ['facility:1', 'provider:1', '#18', '#82', 'key']) expect(text).not.toContain(code);
    expect(text).toContain('养老服务设施');
    expect(text).toContain('居家服务机构');
    expect(text).toContain('检查员：监管人员、监管人员乙');
    expect(text).toContain('回避关系：监管人员乙 – 县社会福利中心');
    page.remount();
    localStorage.setItem(LOCALE_KEY, 'en');
    await page.show('/supervision/rounds/1', '/supervision/rounds/:id', <RoundDetails round={round} />);
    const en = byTestId('sv-round')!.textContent!;
    for (const code of ['facility:1', 'provider:1', '#18', '#82']) expect(en).not.toContain(code);
    expect(en).toContain('Care facility');
    expect(en).toContain('Home-service provider');
    expect(en).toContain('监管人员乙 – 县社会福利中心');
  });
});

describe('the public supervision page in English', () => {
  const page = pageHarness();
  const summary = (id: number, status: 'announced' | 'drawn', targets: number, drawn: number) => ({
    id,
    name: `第${id}轮`,
    status,
    poolsDigest: 'a'.repeat(64),
    externalRound: 1,
    externalAt: null,
    announcedAt: '2026-12-01T08:05:20.000Z',
    drawnAt: null,
    targets,
    drawn,
  });
  const result = (id: number, passed: number, rectificationDue: string | null = null, followedUpOn: string | null = null) => ({
    inspectionId: id,
    roundId: null,
    targetName: '县社会福利中心',
    checklistLabel: { zh: '综合检查', en: 'Comprehensive' },
    inspectedOn: '2026-11-01',
    signedOffAt: '2026-11-02T00:00:00.000Z',
    passed,
    failed: [],
    findings: null,
    rectificationDue,
    followedUpOn,
  });
  beforeEach(() => {
    localStorage.setItem(LOCALE_KEY, 'en');
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const url = String(input);
        if (url === '/api/supervision/public/rounds') return json({ items: [summary(2, 'announced', 15, 4), summary(1, 'drawn', 1, 1)] });
        if (url === '/api/supervision/public/results')
          return json({
            items: [result(1, 1), result(2, 11), result(3, 9, '2026-01-08', '2026-01-06'), result(4, 9, '2999-12-31'), result(5, 9, '2026-01-08')],
          });
        return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    localStorage.removeItem(LOCALE_KEY);
  });

  it('says a round’s status and figures as words apart, in the singular for one', async () => {
    await page.show('/public/supervision', '/public/supervision', <PublicSupervisionPage />);
    const lines = [...document.querySelectorAll('[data-testid="sv-public-round-line"]')].map((e) => e.textContent);
    expect(lines).toEqual([
      'Announced, not drawn 15 targets · 4 to be drawn · announced 2026-12-01 16:05:20',
      'Drawn 1 target · 1 drawn · announced 2026-12-01 16:05:20',
    ]);
  });

  it('says "1 item passed" and "11 items passed"', async () => {
    await page.show('/public/supervision', '/public/supervision', <PublicSupervisionPage />);
    await act(async () => (document.querySelectorAll('[role="tab"]')[1] as HTMLElement).click());
    await settle();
    const text = byTestId('sv-public-results')!.textContent!;
    expect(text).toContain('1 item passed');
    expect(text).toContain('11 items passed');
    // where each rectification stands: checked, within its deadline, past it
    expect([...document.querySelectorAll('[data-testid="sv-public-rectification"]')].map((e) => e.textContent)).toEqual([
      'Rectify by: 2026-01-08 · Rectification checked on 2026-01-06',
      'Rectify by: 2999-12-31 · being rectified',
      'Rectify by: 2026-01-08 · overdue, not rectified',
    ]);
  });
});
