import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { serverModules } from '../modules/index.js';
import { createFieldCipher } from './crypto.js';
import { AppError } from './errors.js';
import { revealer } from './reveal.js';
import { installPolicy } from './policy.js';
import { anonymousScope, everywhere, nowhere, regionInScope, type Scope } from './scope.js';

const cipher = createFieldCipher(randomBytes(32));
const as = (role: Scope['role']): Scope => ({
  userId: 1,
  username: 'u',
  role,
  regionCode: '990101',
  regionPrefix: '990101',
  organisationId: null,
  assignedOnly: false,
  ip: null,
});

describe('revealing full IDs', () => {
  beforeAll(() => installPolicy(serverModules));
  it('gives roles that may reveal the full value, and refuses the others before anything is decrypted', () => {
    const stored = cipher.encrypt('990101194603150012');
    expect(revealer(cipher, as('town_officer'))(stored)).toBe('990101194603150012');
    expect(revealer(cipher, everywhere('cli'))(stored)).toBe('990101194603150012');
    for (const role of ['assessor', 'provider', 'inspector'] as const) {
      expect(() => revealer(cipher, as(role)), role).toThrow(AppError);
    }
    expect(() => revealer(cipher, anonymousScope('x', null))).toThrow(AppError);
  });
});

describe('named scopes', () => {
  it('everywhere covers every region; nowhere and anonymous cover none', () => {
    expect(regionInScope(everywhere(), '990101001001')).toBe(true);
    expect(regionInScope(nowhere(as('bureau_admin')), '990101001001')).toBe(false);
    expect(regionInScope(anonymousScope('x', null), '990101')).toBe(false);
  });
});
