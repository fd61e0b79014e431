import { z } from 'zod';

const text = z.object({ zh: z.string(), en: z.string() });

const jurisdiction = z.object({ code: z.string(), name: z.string(), level: z.string() });
export const settingsReply = z.object({
  jurisdiction,
  /** the jurisdictions the administrator manages: their own, then those below it (a city's counties) */
  jurisdictions: z.array(jurisdiction),
  items: z.array(
    z.object({
      name: z.string(),
      label: text,
      description: text,
      value: z.unknown(),
      isInitial: z.boolean(),
      /** the city or province whose value this jurisdiction takes, having none of its own */
      inheritedFrom: z.object({ code: z.string(), name: z.string() }).nullable(),
      setBy: z.string().nullable(),
      setAt: z.string().nullable(),
      note: z.string().nullable(),
      /** the values allowed, with labels, where the setting is one of a list; null where any valid value may be set */
      choices: z.array(z.object({ value: z.unknown(), label: text })).nullable(),
    }),
  ),
});
export type SettingsReply = z.infer<typeof settingsReply>;

/** Which jurisdiction's settings (a region code; default: the administrator's own). */
export const settingsQuery = z.object({
  jurisdiction: z
    .string()
    .regex(/^\d{6,12}$/)
    .optional(),
});
export const settingParams = z.object({ name: z.string().regex(/^[a-z][a-z0-9_.]{0,59}$/) });
export const settingBody = z.object({ value: z.unknown(), note: z.string().max(500) });
export const settingReply = z.object({ name: z.string(), value: z.unknown() });
