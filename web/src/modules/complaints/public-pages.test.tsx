// @vitest-environment jsdom
import { act } from 'react';
import { useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageHarness, settle } from '../../app-harness';
import { LOCALE_KEY } from '../../i18n';
import type { TrackReply } from './api';
import { PublicComplaintPage } from './public-form';
import { PublicTrackPage } from './public-track';

/**
 * The complaint pages an elder uses (issue 20, R12): the tracking page labels its box and says what
 * the code looks like, keeps the code out of the address (an old link's ?n= is read once and
 * removed), and the consent box is a large row the whole of which ticks it.
 */
const tracked: TrackReply = {
  status: 'received',
  category: 'food',
  receivedOn: '2026-11-20',
  dueOn: '2026-12-05',
  repliedOn: null,
  closedOn: null,
  unit: '城关街道',
  reply: null,
};
const byTestId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);
/** The address the page is at, as the router has it. */
function Where() {
  const l = useLocation();
  return <output data-testid="where">{l.pathname + l.search}</output>;
}

describe('the public complaint pages', () => {
  const page = pageHarness();
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    fetchMock = vi.fn(async (input: string) => {
      const url = String(input);
      if (url === '/api/complaints/public/track') return json(tracked);
      if (url === '/api/complaints/public/targets') return json({ targets: [], towns: [] });
      return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
    });
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('labels the tracking box, says what a code looks like and links back to the public pages', async () => {
    await page.show('/complaint/track', '/complaint/track', <PublicTrackPage />);
    const input = byTestId('cp-track-input') as HTMLInputElement;
    const label = document.querySelector(`label[for="${input.id}"]`);
    expect(label?.textContent).toBe('查询码');
    expect(byTestId('cp-track-hint')!.textContent).toContain('TS-');
    expect(input.getAttribute('aria-describedby')).toBe(byTestId('cp-track-hint')!.id);
    expect(byTestId('cp-track-home')!.getAttribute('href')).toBe('/public');
  });

  it('reads an old link’s code once, asks with it in the body and takes it out of the address', async () => {
    await page.show(
      '/complaint/track?n=TS-AAAA-BBBB-CCCC-DDDD',
      '/complaint/track',
      <>
        <PublicTrackPage />
        <Where />
      </>,
    );
    const call = fetchMock.mock.calls.find(([u]) => u === '/api/complaints/public/track')!;
    expect(JSON.parse(String((call[1] as RequestInit).body))).toEqual({ trackingNumber: 'TS-AAAA-BBBB-CCCC-DDDD' });
    expect(byTestId('cp-track-status')!.textContent).toBe('已收到');
    expect(byTestId('where')!.textContent).toBe('/complaint/track');
    expect(fetchMock.mock.calls.every(([u]) => !String(u).includes('TS-'))).toBe(true);
  });

  it('makes the consent a large box whose whole row, words included, ticks it', async () => {
    await page.show('/complaint', '/complaint', <PublicComplaintPage />);
    const box = byTestId('cp-consent') as HTMLInputElement;
    expect(box.type).toBe('checkbox');
    expect(parseInt(box.style.width, 10)).toBeGreaterThanOrEqual(24);
    expect(parseInt(box.style.height, 10)).toBeGreaterThanOrEqual(24);
    expect(box.checked).toBe(false);
    expect(byTestId('cp-contact-phone')).toBeNull();
    await act(async () => (byTestId('cp-consent-text') as HTMLElement).click());
    await settle();
    expect(box.checked).toBe(true);
    expect(byTestId('cp-contact-phone')).not.toBeNull();
    expect(box.closest('label')).toBe(byTestId('cp-consent-row'));
  });
});
