import { getLocale } from './i18n-core';

/** An error answer of the API: `{ error: { code, message, details } }`, message already localised. */
export class ApiError extends Error {
  readonly code: string;
  readonly details: unknown;
  readonly status: number;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => {
  if (window.location.pathname !== '/login') window.location.assign('/login');
};
/** The app installs a handler that clears the session and routes to /login. */
export function setUnauthorizedHandler(h: UnauthorizedHandler): void {
  onUnauthorized = h;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** the login and session-probe calls handle 401 themselves */
  noAuthRedirect?: boolean;
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = (opts.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { 'Accept-Language': getLocale(), Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body; // the browser sets the multipart boundary
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', getLocale() === 'en' ? 'Cannot reach the server' : '无法连接服务器', String(e));
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const apiError = new ApiError(
      res.status,
      err?.code ?? `HTTP_${res.status}`,
      err?.message ?? (text || res.statusText || `HTTP ${res.status}`),
      err?.details,
    );
    if (res.status === 401 && !opts.noAuthRedirect) onUnauthorized();
    throw apiError;
  }
  return data as T;
}

export const get = <T>(path: string) => request<T>(path);
export const post = <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body: body ?? {} });

/** Builds a query string, leaving out empty values. */
export function qs(params: Record<string, string | number | undefined | null | string[]>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) u.set(k, v.join(','));
    } else u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

// ---- the shapes of the API: the types inferred from the server's zod schemas, the same that ----
// ---- validate its answers and generate /api/openapi.json (type-only: nothing of src is bundled) ----

export type { Page } from '../../../src/platform/paging';
export type { Session, User, UserRow, UsersReply } from '../../../src/modules/users/users.schema';
export type { Region, RegionsReply } from '../../../src/modules/regions/regions.schema';
export type {
  AccessEntry,
  Attribute,
  Conflict,
  HistoryEntry,
  PersonBase,
  PersonDetail,
  PersonRow,
  RevealReply,
} from '../../../src/modules/register/register.schema';
export type { ImportReply, ImportSummary, RowError, Source, SourceColumn, SourcesReply } from '../../../src/modules/register/imports/imports.schema';
export type { AuditItem, AuditVerify } from '../../../src/modules/audit/audit.schema';
