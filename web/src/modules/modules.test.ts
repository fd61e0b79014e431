// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { currentMessages, loadMessages, modules, navEntries, publicRoutes, routes } from '.';
import { en as shellEn, zh as shellZh } from './shell/messages';

/**
 * The menu, the router and the dictionary are derived from one list of modules (./index.ts); these
 * checks keep the three in step when a module adds a page, a menu entry or a string.
 */

/**
 * Pages inside the frame with no menu entry of their own, each with how a user gets there. A new
 * page either gets a menu entry or is added here with its way in.
 */
const reachedOtherwise: Record<string, string> = {
  home: 'the workbench: the landing page (/) shows it to roles with no menu entry',
  'timebank/accounts': 'a redirect to the accounts list (/timebank): the address an account’s ledger (/timebank/accounts/:id) extends',
  'services/orders': 'a redirect to the orders list (/services): the address an order (/services/orders/:id) extends',
  // issue 18 (alarms-desk)
  'hotline/persons': 'finding a person (from the hotline’s calls): the address a person’s hotline profile (/hotline/persons/:id) extends',
  // end alarms-desk
  // issue 19 (supervision)
  'supervision/rounds': 'a redirect to the rounds list (/supervision): the address a round (/supervision/rounds/:id) extends',
};

/** A route path as the menu spells it (routes inside the frame are relative to /). */
const absolute = (path: string) => (path.startsWith('/') ? path : `/${path}`);
const parameterised = (path: string) => path.split('/').some((part) => part.startsWith(':'));

describe('the console modules', () => {
  const framePaths = routes.map((r) => absolute(r.path));

  it('has a route for every menu entry, behind the action that shows the entry', () => {
    for (const n of navEntries) {
      const route = routes.find((r) => absolute(r.path) === n.path);
      expect(route, `menu entry ${n.path} has no route`).toBeDefined();
      // the menu never offers a page the guard then refuses
      if (route?.action) expect(route.action, `menu entry ${n.path}`).toBe(n.action);
    }
  });

  it('has a menu entry for every page a user opens from the menu; the others are reached from another page', () => {
    const fromMenu = new Set(navEntries.map((n) => n.path));
    const missing = routes
      .filter((r) => !parameterised(r.path) && !fromMenu.has(absolute(r.path)) && !(r.path in reachedOtherwise))
      .map((r) => absolute(r.path));
    expect(missing).toEqual([]);
    // the exceptions are pages that exist and are really not in the menu
    for (const path of Object.keys(reachedOtherwise)) {
      expect(framePaths, path).toContain(absolute(path));
      expect(fromMenu.has(absolute(path)), path).toBe(false);
    }
  });

  it('reaches every parameterised page from the page its path extends (a list and its detail)', () => {
    for (const r of routes.filter((x) => parameterised(x.path))) {
      const parent = absolute(
        r.path
          .split('/')
          .filter((part) => !part.startsWith(':'))
          .join('/'),
      );
      expect(framePaths, `${r.path} extends no page`).toContain(parent);
    }
  });

  it('declares each path once, public pages outside the menu', () => {
    const all = [...publicRoutes.map((r) => absolute(r.path)), ...framePaths];
    expect(all.filter((p, i) => all.indexOf(p) !== i)).toEqual([]);
    expect(new Set(navEntries.map((n) => n.path)).size).toBe(navEntries.length);
    const publicPaths = new Set(publicRoutes.map((r) => absolute(r.path)));
    expect(navEntries.filter((n) => publicPaths.has(n.path)).map((n) => n.path)).toEqual([]);
  });

  it('has every message in both languages, with the same placeholders', async () => {
    const messages = await loadMessages();
    for (const m of modules) {
      const own = typeof m.messages === 'function' ? await m.messages() : m.messages;
      const zh: Record<string, string> = own.zh;
      const en: Record<string, string> = own.en;
      expect(Object.keys(en).sort(), `module ${m.id}`).toEqual(Object.keys(zh).sort());
      for (const key of Object.keys(zh)) {
        expect(zh[key], `${m.id} zh ${key}`).toBeTruthy();
        expect(en[key], `${m.id} en ${key}`).toBeTruthy();
        const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((x) => x[1]))].sort();
        expect(placeholders(en[key]!), `${m.id} ${key}`).toEqual(placeholders(zh[key]!));
      }
    }
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages['zh-CN']).sort());
  });

  it('labels every menu entry with a message of both languages', async () => {
    const messages = await loadMessages();
    for (const n of navEntries) {
      expect(messages['zh-CN'][n.label], n.label).toBeTruthy();
      expect(messages.en[n.label], n.label).toBeTruthy();
    }
  });

  it('puts only the shell’s strings in the first chunk, and every other module’s in the one fetched with antd’s frame', async () => {
    const eager = modules.filter((m) => typeof m.messages !== 'function').map((m) => m.id);
    expect(eager).toEqual(['shell']);
    const all = await loadMessages();
    expect(currentMessages()).toBe(all);
    expect(Object.keys(all['zh-CN']).length).toBeGreaterThan(1000);
  });

  it('has every string the login page shows among the shell’s, which the first chunk carries', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync('web/src/modules/shell/login.tsx', 'utf8');
    const keys = [...source.matchAll(/\bt\('([\w.]+)'/g)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(5);
    expect(keys.filter((k) => !(k in shellZh) || !(k in shellEn))).toEqual([]);
  });
});
