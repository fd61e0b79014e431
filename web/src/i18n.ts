import { createElement, useSyncExternalStore, type ReactNode } from 'react';
import { currentMessages, subscribeMessages } from './modules';
import { I18nMessagesProvider, type Dictionary, type Locale } from './shared/i18n-core';

export { getLocale, LOCALE_KEY, translate, useI18n } from './shared/i18n-core';
export type { Dictionary, I18n, Locale, MessageKey, Messages } from './shared/i18n-core';

/**
 * The console's languages with the listed modules' strings known so far (the shell's, then everyone's
 * once modules/index.ts loadMessages() has answered), or `messages`, when given.
 */
export function I18nProvider({ messages, children }: { messages?: Record<Locale, Dictionary>; children: ReactNode }) {
  const known = useSyncExternalStore(subscribeMessages, currentMessages);
  return createElement(I18nMessagesProvider, { messages: messages ?? known, children });
}
