import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs } from '../../shared/api';
import { LOW_BATTERY } from './labels';
import type { DeviceDetail, DevicesReply, RegisterDeviceBody, VendorSecretView, VendorsReply } from './types';

/** Every query of the module starts with 'alarm-devices'; a change refreshes them all. */
export const keys = {
  all: ['alarm-devices'] as const,
  devices: ['alarm-devices', 'devices'] as const,
  device: (id: number) => ['alarm-devices', 'device', id] as const,
  vendors: ['alarm-devices', 'vendors'] as const,
};

const BASE = '/api/alarms';

export interface DeviceFilters {
  regionCode?: string;
  kind?: string;
  link?: string;
  /** active (the server's default), retired or all */
  status?: string;
  serial?: string;
  /** '1': battery at or below LOW_BATTERY only */
  lowBattery?: string;
  personId?: number;
}

/** The server pages at most 200 at a time; the low-battery filter reads this many pages at most. */
const LOW_BATTERY_PAGES = 10;

/**
 * One page of devices. The server has no battery filter: with `lowBattery`, the matching devices
 * are read 200 at a time (at most LOW_BATTERY_PAGES pages) and the low ones paged here.
 */
export async function fetchDevices(f: DeviceFilters, page: number, pageSize: number): Promise<DevicesReply> {
  const { lowBattery, ...server } = f;
  if (lowBattery !== '1') return get<DevicesReply>(`${BASE}/devices${qs({ ...server, page, pageSize })}`);
  const low: DevicesReply['items'] = [];
  for (let p = 1; p <= LOW_BATTERY_PAGES; p++) {
    const r = await get<DevicesReply>(`${BASE}/devices${qs({ ...server, page: p, pageSize: 200 })}`);
    low.push(...r.items.filter((d) => d.battery !== null && d.battery <= LOW_BATTERY));
    if (p * 200 >= r.total) break;
  }
  return { items: low.slice((page - 1) * pageSize, page * pageSize), total: low.length, page, pageSize };
}

export function useDevice(id: number | null) {
  return useQuery({ queryKey: keys.device(id ?? 0), queryFn: () => get<DeviceDetail>(`${BASE}/devices/${id}`), enabled: id !== null && id > 0 });
}

export function useVendors(enabled = true) {
  return useQuery({ queryKey: keys.vendors, queryFn: async () => (await get<VendorsReply>(`${BASE}/vendors`)).items, enabled, staleTime: 30_000 });
}

function useRefresh() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: keys.all }), client.invalidateQueries({ queryKey: ['hotline'] })]);
}

export function useRegisterDevice() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (b: RegisterDeviceBody) => post<DeviceDetail>(`${BASE}/devices`, b), onSuccess: refresh });
}

export function useRetireDevice() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (id: number) => post<unknown>(`${BASE}/devices/${id}/retire`), onSuccess: refresh });
}

export function useCreateVendor() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (name: string) => post<VendorSecretView>(`${BASE}/vendors`, { name }), onSuccess: refresh });
}

export function useRotateVendor() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (id: number) => post<VendorSecretView>(`${BASE}/vendors/${id}/rotate`), onSuccess: refresh });
}

export function useDisableVendor() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (id: number) => post<unknown>(`${BASE}/vendors/${id}/disable`), onSuccess: refresh });
}
