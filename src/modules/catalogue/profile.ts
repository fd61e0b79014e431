import { z } from 'zod';
import type { FactDecl } from '../../lib/rules/facts.js';
import { isCivilDate } from '../../platform/time.js';
import { DECLARATIONS } from './facts.js';

const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
const dateLike = z.union([civilDate, z.date().transform((d) => d.toISOString().slice(0, 10))]);

/**
 * A person as a case file or the public self-check states it: birth date, status, living
 * situation and urban by hand (they are not facts of their own), every other fact from its
 * declaration (catalogue/facts.ts), with the declared default. `unknown` lists facts the profile
 * does not know; only facts declared as possibly unknown may be listed.
 */
function factField(d: FactDecl): z.ZodType {
  const t = d.type;
  const base: z.ZodType =
    t.t === 'bool'
      ? z.boolean()
      : t.t === 'int'
        ? z
            .number()
            .int()
            .min(0)
            .max(d.values ? Math.max(...Object.keys(d.values).map(Number)) : 200)
        : t.t === 'enum'
          ? z.enum(t.values as [string, ...string[]])
          : z.string();
  return (base as z.ZodType<unknown>).default(d.profile!.default);
}
const UNKNOWABLE = DECLARATIONS.filter((d) => d.unknown).map((d) => d.name);
const declaredProfile = Object.fromEntries(DECLARATIONS.filter((d) => d.profile).map((d) => [d.name, factField(d)]));

const profileBase = z.object({
  birthDate: civilDate.or(z.date().transform((d) => d.toISOString().slice(0, 10))).refine(isCivilDate, '不是有效的日期'),
  status: z.enum(['active', 'deceased', 'moved_out']).default('active'),
  closedOn: dateLike.nullish(),
  urban: z.boolean().default(false),
  living: z.array(z.enum(['alone', 'empty_nest', 'left_behind', 'solitary'])).default([]),
  unknown: z.array(z.enum(UNKNOWABLE as [string, ...string[]])).default([]),
});
/** The stated profile: the fixed keys, and each declared fact (boolean, number or enum text) by its name. */
export type Profile = z.infer<typeof profileBase> & { [fact: string]: unknown };
// Typed as the fixed keys only (the declared facts are checked at run time; code reads them by name).
export const profileSchema = profileBase.extend(declaredProfile).strict() as unknown as z.ZodObject<typeof profileBase.shape, z.core.$strict>;
