import { describe, expect, it } from 'vitest';
import { cellGapMeters, cellOf, checkFix, distanceMeters } from './geo.js';
import { DEFAULT_SERVICE_SETTINGS } from './services.settings.js';

describe('places for visit verification', () => {
  it('measures metres on the ground and never lets a cell claim more distance than there is', () => {
    const a = { lat: 30.87, lng: 120.43 };
    // 2 km north
    const b = { lat: 30.87 + 2000 / 111_195, lng: 120.43 };
    expect(Math.round(distanceMeters(a, b))).toBe(2000);
    expect(cellGapMeters(cellOf(a), cellOf(a))).toBe(0);
    // the cells' gap is a lower bound of the true distance, within two cells of it
    for (const [p, q] of [
      [a, b],
      [a, { lat: 30.95, lng: 120.55 }],
      [
        { lat: 30.801, lng: 120.201 },
        { lat: 31.09, lng: 120.59 },
      ],
    ] as const) {
      const gap = cellGapMeters(cellOf(p), cellOf(q));
      expect(gap).toBeLessThanOrEqual(distanceMeters(p, q));
      expect(distanceMeters(p, q) - gap).toBeLessThan(3200);
    }
  });

  it('refuses an impossible fix and one outside the jurisdiction, naming the field', () => {
    const s = DEFAULT_SERVICE_SETTINGS;
    expect(checkFix({ lat: 30.87, lng: 120.43, accuracy: 12.4 }, s, 'checkIn.location')).toEqual({ lat: 30.87, lng: 120.43, accuracy: 12 });
    expect(() => checkFix({ lat: 95, lng: 120.43, accuracy: 10 }, s, 'checkIn.location')).toThrow(
      expect.objectContaining({ code: 'SERVICE_LOCATION_INVALID' }),
    );
    expect(() => checkFix({ lat: 0, lng: 0, accuracy: 10 }, s, 'checkIn.location')).toThrow(expect.objectContaining({ code: 'SERVICE_LOCATION_INVALID' }));
    expect(() => checkFix({ lat: Number.NaN, lng: 120.43, accuracy: 10 }, s, 'checkIn.location')).toThrow(
      expect.objectContaining({ code: 'SERVICE_LOCATION_INVALID' }),
    );
    expect(() => checkFix({ lat: 39.9, lng: 116.4, accuracy: 10 }, s, 'checkOut.location')).toThrow(
      expect.objectContaining({ code: 'SERVICE_LOCATION_OUTSIDE', params: expect.objectContaining({ field: 'checkOut.location' }) }),
    );
  });
});
