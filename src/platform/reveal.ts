import type { FieldCipher } from './crypto.js';
import { AppError } from './errors.js';
import { can } from './policy.js';
import type { Scope } from './scope.js';

/**
 * The one way a full resident ID or phone number leaves the platform: the profile's 显示完整
 * and every export that is a payment or visiting instrument (roll, roster). Only roles that may
 * reveal get a revealer; the caller audits the disclosure (fields: ['idNumber'] or ['phone']) in
 * the transaction of its read.
 */
export function revealer(cipher: FieldCipher, scope: Scope): (stored: string) => string {
  if (scope.role !== 'system' && (scope.role === 'anonymous' || !can(scope.role, 'register.reveal'))) throw new AppError('FORBIDDEN');
  return (stored) => cipher.decrypt(stored);
}
