import { describe, expect, it } from 'vitest';
import { shanghaiTime, shanghaiToday } from './shared/format';

/**
 * The console's default dates are the Beijing day the server counts in, whatever the device's own
 * time zone: in the first eight hours of a Beijing day a device on UTC is still on yesterday (the
 * back-pay browser suite failed between 00:00 and 08:00 Beijing time when the import's data date
 * defaulted to the device's day).
 */
describe('dates in Asia/Shanghai', () => {
  it("today is Beijing's day: 16:30 UTC on 30 November is already 1 December", () => {
    expect(shanghaiToday(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
    expect(shanghaiToday(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11-30');
    expect(shanghaiToday(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });
  it('shows an instant in Beijing time', () => {
    expect(shanghaiTime('2026-11-30T16:30:05Z')).toBe('2026-12-01 00:30:05');
  });
});
