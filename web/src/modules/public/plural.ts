import type { MessageKey } from '../../shared/i18n-core';

/**
 * English says "1 item" but "2 items": a count's message has a `.one` form (the key with ".one"
 * appended, the same words in Chinese) used for exactly one. The messages' modules declare both;
 * the public pages test that the English of one reads in the singular.
 */
export function countKey(key: MessageKey, n: number): MessageKey {
  return (n === 1 ? `${key}.one` : key) as MessageKey;
}
