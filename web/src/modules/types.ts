import type { ReactElement } from 'react';
import type { MessageKey } from '../shared/i18n-core';

/** A page of a module: its path, and the action a role needs to open it (none: any logged-in user). */
export interface ModuleRoute {
  path: string;
  action?: string;
  element: ReactElement;
}

/** A menu entry: shown when the user's role allows its action. */
export interface NavItem {
  path: string;
  label: MessageKey;
  action: string;
  /** roles that may do the action yet whose menu leaves the entry out (a grid worker: 待遇测算) */
  hiddenFor?: readonly string[];
}

/** A module's strings: zh-CN, and English typed against it. */
export interface ModuleMessages<Zh extends Record<string, string> = Record<string, string>> {
  zh: Zh;
  en: Record<keyof Zh, string>;
}

/**
 * One capability of the console: its pages, its menu entries and its strings in both languages
 * (`en` typed against `zh`). web/src/modules/index.ts lists the modules; the router, the menu and the
 * dictionary are derived from that list.
 */
export interface ConsoleModule<Zh extends Record<string, string> = Record<string, string>> {
  id: string;
  /**
   * The strings, or how to fetch them: only the shell's (the login page) are in the first chunk; the
   * rest come with antd's frame, which every other page waits for (web/src/modules/index.ts).
   */
  messages: ModuleMessages<Zh> | (() => Promise<ModuleMessages<Zh>>);
  /** pages inside the logged-in frame */
  routes?: ModuleRoute[];
  /** pages open without a session */
  publicRoutes?: Omit<ModuleRoute, 'action'>[];
  /** menu entries, in menu order, labelled by the module's own strings */
  nav?: (Omit<NavItem, 'label'> & { label: Extract<keyof Zh, string> })[];
}

/** Declares a module, keeping the literal type of its strings (for the message keys). */
export function defineModule<Zh extends Record<string, string>>(m: ConsoleModule<Zh>): ConsoleModule<Zh> {
  return m;
}

/** What the list's consumers read of any module (the router, the menu, the dictionary). */
export interface ListedModule {
  id: string;
  messages: ModuleMessages | (() => Promise<ModuleMessages>);
  routes?: ModuleRoute[];
  publicRoutes?: Omit<ModuleRoute, 'action'>[];
  nav?: { path: string; label: string; action: string }[];
}
