import { describe, expect, it } from 'vitest';
import { demoAccountLines, demoLogins } from './seed.js';

/** The demo accounts printed at start-up name each account's role as people read it, not its code (bureau_admin). */
describe('the demo accounts printed at start-up', () => {
  it('name the role in words, in both languages', () => {
    const lines = demoAccountLines(demoLogins({ second: true }));
    expect(lines.length).toBe(demoLogins({ second: true }).length);
    const admin = lines.find((l) => l.trim().startsWith('admin '))!;
    expect(admin).toContain('民政局管理员 / Bureau admin');
    expect(lines.every((l) => !/\b(bureau_admin|town_officer|grid_worker|hotline_operator|hotline_supervisor|institution_staff|village_head)\b/.test(l))).toBe(
      true,
    );
  });
});
