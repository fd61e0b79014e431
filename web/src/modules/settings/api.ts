import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SettingsReply } from '../../../../src/modules/settings/settings.schema';
import { get, request } from '../../shared/api';

const settingsKey = ['settings'] as const;

/** The jurisdiction's settings with who set them, when and why. */
export function useSettings() {
  return useQuery({ queryKey: settingsKey, queryFn: () => get<SettingsReply>('/api/settings') });
}

/**
 * Sets one setting with its basis. A setting may change what other pages show (the catalogue in
 * force reaches the catalogue page and the runs), so those are refreshed too.
 */
export function useSaveSetting() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ name, value, note }: { name: string; value: unknown; note: string }) =>
      request(`/api/settings/${name}`, { method: 'PUT', body: { value, note } }),
    onSuccess: () => Promise.all([settingsKey, ['catalogue'], ['runs']].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}
