import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, request, type RegionsReply, type UsersReply } from '../../shared/api';
import type { CreateUserBody, UpdateUserBody } from '../../../../src/modules/users/users.schema';

const usersKey = ['users'] as const;

/** The accounts of the viewer's region. */
export function useUsers() {
  return useQuery({ queryKey: usersKey, queryFn: () => get<UsersReply>('/api/users') });
}

/** The regions a new or moved account may be put in: the administrator's subtree. */
export function useScopeRegions() {
  return useQuery({ queryKey: ['regions'], queryFn: () => get<RegionsReply>('/api/regions'), staleTime: Infinity });
}

/** Every change of an account refreshes the list (status, lockout, role and region shown there). */
function useUserMutation<V>(fn: (v: V) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: usersKey }) });
}

/** An administrator sets another user's password (ending their sessions and lifting a lock-out). */
export function useResetPassword() {
  return useUserMutation(({ userId, newPassword }: { userId: number; newPassword: string }) => post(`/api/users/${userId}/password`, { newPassword }));
}

/** Creates an account; its user changes the password at first login. */
export function useCreateUser() {
  return useUserMutation((body: CreateUserBody) => post<{ id: number }>('/api/users', body));
}

/** Changes an account's name, role, region or organisation. */
export function useUpdateUser() {
  return useUserMutation(({ userId, change }: { userId: number; change: UpdateUserBody }) =>
    request(`/api/users/${userId}`, { method: 'PATCH', body: change }),
  );
}

/** Lifts the user's login lockouts. */
export function useUnlockUser() {
  return useUserMutation((userId: number) => post(`/api/users/${userId}/unlock`));
}

/** Disables (their sessions end at once) or enables an account. */
export function useSetUserActive() {
  return useUserMutation(({ userId, active }: { userId: number; active: boolean }) => post(`/api/users/${userId}/${active ? 'enable' : 'disable'}`));
}

/**
 * A user changes their own password (the current one first). Every session of the user ends with
 * it, this one too: the caller logs out, which clears what was loaded, so nothing is refreshed.
 */
export function useChangePassword() {
  return useMutation({
    mutationFn: ({ currentPassword, newPassword }: { currentPassword?: string; newPassword: string }) =>
      post('/api/auth/password', { currentPassword, newPassword }),
  });
}
