import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SettingsReply } from '../../../../src/modules/settings/settings.schema';
import { get, qs, request } from '../../shared/api';

const settingsKey = ['settings'] as const;

/** A jurisdiction's settings ('' the administrator's own) with who set them, when and why. */
export function useSettings(jurisdiction = '') {
  return useQuery({ queryKey: [...settingsKey, jurisdiction], queryFn: () => get<SettingsReply>(`/api/settings${qs({ jurisdiction })}`) });
}

/**
 * Sets one setting with its basis. A setting may change what other pages show (the catalogue in
 * force reaches the catalogue page and the runs), so those are refreshed too.
 */
export function useSaveSetting() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ name, value, note, jurisdiction }: { name: string; value: unknown; note: string; jurisdiction?: string }) =>
      request(`/api/settings/${name}${qs({ jurisdiction })}`, { method: 'PUT', body: { value, note } }),
    onSuccess: () => Promise.all([settingsKey, ['catalogue'], ['runs'], ['jurisdictions']].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}
