import { z } from 'zod';
import { emptyBody, okReply } from '../../platform/paging.js';

export { emptyBody, okReply };

export const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) });

/** The policy itself (length, classes, …) is applied by the service, with its own messages. */
export const changePasswordBody = z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) });
export const resetPasswordBody = z.object({ newPassword: z.string().min(1).max(200) });
export const userIdParams = z.object({ id: z.coerce.number().int().positive() });

export const sessionUser = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
});
export const sessionReply = z.object({
  user: sessionUser,
  actions: z.array(z.string()),
  csrfToken: z.string(),
  /** the password was set by an administrator: nothing but changing it (or logging out) is allowed */
  mustChangePassword: z.boolean(),
});

/** No organisations table yet: the number the provider or institution is known by, a positive integer. */
const organisationId = z.number().int().positive().nullable();
const displayName = z.string().trim().min(1).max(64);

export const usersReply = z.object({
  items: z.array(
    sessionUser.extend({
      organisationId: z.number().nullable(),
      active: z.boolean(),
      lockedUntil: z.string().nullable(),
      mustChangePassword: z.boolean(),
    }),
  ),
});

/**
 * A new account. Role and region are plain strings so that an unknown one is answered by the
 * service's own error (ROLE_UNKNOWN, REGION_UNKNOWN), like the username's format and the password policy.
 */
export const createUserBody = z.object({
  username: z.string().max(64),
  displayName,
  role: z.string().max(40),
  regionCode: z.string().max(20),
  organisationId: organisationId.optional(),
  password: z.string().min(1).max(200),
});
export const createdReply = z.object({ id: z.number() });

/** What an administrator changes of an account; what is left out stays. */
export const updateUserBody = z.object({
  displayName: displayName.optional(),
  role: z.string().max(40).optional(),
  regionCode: z.string().max(20).optional(),
  organisationId: organisationId.optional(),
});

export type User = z.infer<typeof sessionUser>;
export type Session = z.infer<typeof sessionReply>;
export type UserRow = z.infer<typeof usersReply>['items'][number];
export type UsersReply = z.infer<typeof usersReply>;
export type LoginBody = z.infer<typeof loginBody>;
export type CreateUserBody = z.infer<typeof createUserBody>;
export type UpdateUserBody = z.infer<typeof updateUserBody>;
