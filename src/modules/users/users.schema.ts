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
});

export const usersReply = z.object({
  items: z.array(sessionUser.extend({ active: z.boolean(), lockedUntil: z.string().nullable() })),
});

export type User = z.infer<typeof sessionUser>;
export type Session = z.infer<typeof sessionReply>;
export type UserRow = z.infer<typeof usersReply>['items'][number];
export type UsersReply = z.infer<typeof usersReply>;
export type LoginBody = z.infer<typeof loginBody>;
