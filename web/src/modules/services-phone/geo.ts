import type { Fix } from './types';

/**
 * The phone's position at check-in and check-out (and only then: nothing follows the caregiver
 * between them). Asked fresh (no cached fix) with high accuracy; the accuracy the device reports is
 * sent with it, so the server measures the distance to the home against it.
 */
export type NoFixReason = 'denied' | 'unavailable' | 'timeout' | 'unsupported';

export class NoFix extends Error {
  constructor(readonly reason: NoFixReason) {
    super(`no location: ${reason}`);
    this.name = 'NoFix';
  }
}

export function currentFix(timeoutMs = 20_000): Promise<Fix> {
  return new Promise((resolve, reject) => {
    const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined;
    if (!geo) return reject(new NoFix('unsupported'));
    geo.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: Math.max(0, Math.round(p.coords.accuracy)) }),
      (e) => reject(new NoFix(e.code === 1 ? 'denied' : e.code === 3 ? 'timeout' : 'unavailable')),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 0 },
    );
  });
}
