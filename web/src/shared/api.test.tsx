// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, get, post, qs, setCsrfToken, setUnauthorizedHandler } from './api';
import { LOCALE_KEY } from './i18n-core';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('api client', () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken(null);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    localStorage.removeItem(LOCALE_KEY);
  });

  it('sends the CSRF token from the last login on non-GET requests only, with the language', async () => {
    setCsrfToken('tok-123');
    fetchMock.mockImplementation(async () => jsonResponse(200, { ok: true }));
    await expect(post('/api/conflicts/1/resolve', { choice: 'keep' })).resolves.toEqual({ ok: true });
    const [, init] = fetchMock.mock.calls[0]!;
    const headers = init!.headers as Record<string, string>;
    expect(headers['x-csrf-token']).toBe('tok-123');
    expect(headers['Accept-Language']).toBe('zh-CN');
    expect(init!.credentials).toBe('same-origin');
    expect(init!.body).toBe(JSON.stringify({ choice: 'keep' }));

    await get('/api/persons');
    const getHeaders = fetchMock.mock.calls[1]![1]!.headers as Record<string, string>;
    expect(getHeaders['x-csrf-token']).toBeUndefined();
  });

  it('turns an error body into an ApiError with code, message, details and status', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(422, { error: { code: 'IMPORT_ROWS', message: '有 2 行数据有误', details: { importId: 7, rowsBad: 2, rowsTotal: 10 } } }),
    );
    const err = await post('/api/imports').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.code).toBe('IMPORT_ROWS');
    expect(e.message).toBe('有 2 行数据有误');
    expect(e.status).toBe(422);
    expect(e.details).toEqual({ importId: 7, rowsBad: 2, rowsTotal: 10 });
  });

  it('hands a 401 to the unauthorised handler', async () => {
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    fetchMock.mockResolvedValue(jsonResponse(401, { error: { code: 'UNAUTHENTICATED', message: '请先登录', details: null } }));
    await expect(get('/api/persons')).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('leaves empty filters out of the query string', () => {
    expect(qs({ q: '', regionCode: undefined, tags: ['dibao', 'age80'], page: 2 })).toBe('?tags=dibao%2Cage80&page=2');
    expect(qs({ q: '' })).toBe('');
  });
});
