import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { DEMO_PASSWORD } from '../modules/demo/seed.js';

/**
 * Logging in through `app.inject()` and carrying the session as a browser would: every cookie
 * the server set (session and CSRF secret) and the CSRF token from the login answer.
 */
export interface Session {
  username: string;
  cookies: Record<string, string>;
  csrfToken: string;
}

/** name → value of every cookie a response sets (a cleared cookie maps to ''). */
export function setCookies(res: LightMyRequestResponse): Record<string, string> {
  return Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
}

export async function loginAs(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login as ${username} answered ${res.statusCode}: ${res.body}`);
  return { username, cookies: setCookies(res), csrfToken: res.json<{ csrfToken: string }>().csrfToken };
}

export const cookieHeader = (cookies: Record<string, string>) =>
  Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

export interface CallOptions {
  method: InjectOptions['method'];
  url: string;
  payload?: InjectOptions['payload'];
  headers?: Record<string, string>;
  /** send the session's x-csrf-token header (default true) */
  csrf?: boolean;
}

/** One request as `session` (or anonymously when null). */
export function call(app: FastifyInstance, session: Session | null, opts: CallOptions): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (session) {
    headers.cookie = cookieHeader(session.cookies);
    if (opts.csrf !== false) headers['x-csrf-token'] = session.csrfToken;
  }
  return app.inject({ method: opts.method, url: opts.url, payload: opts.payload, headers });
}

/** The `{ error: { code } }` of an error answer, or undefined. */
export function errorCode(res: LightMyRequestResponse): string | undefined {
  try {
    return (res.json() as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}
