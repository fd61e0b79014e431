import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, type UsersReply } from '../../shared/api';

const usersKey = ['users'] as const;

/** The accounts of the viewer's region. */
export function useUsers() {
  return useQuery({ queryKey: usersKey, queryFn: () => get<UsersReply>('/api/users') });
}

/** An administrator sets another user's password (ending their sessions and lifting a lock-out). */
export function useResetPassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, newPassword }: { userId: number; newPassword: string }) => post(`/api/users/${userId}/password`, { newPassword }),
    onSuccess: () => client.invalidateQueries({ queryKey: usersKey }),
  });
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
