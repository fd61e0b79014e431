import { z } from 'zod';

const text = z.object({ zh: z.string(), en: z.string() });

export const settingsReply = z.object({
  jurisdiction: z.object({ code: z.string(), name: z.string() }),
  items: z.array(
    z.object({
      name: z.string(),
      label: text,
      description: text,
      value: z.unknown(),
      isInitial: z.boolean(),
      setBy: z.string().nullable(),
      setAt: z.string().nullable(),
      note: z.string().nullable(),
      /** the values allowed, with labels, where the setting is one of a list; null where any valid value may be set */
      choices: z.array(z.object({ value: z.unknown(), label: text })).nullable(),
    }),
  ),
});
export type SettingsReply = z.infer<typeof settingsReply>;

export const settingParams = z.object({ name: z.string().regex(/^[a-z][a-z0-9_.]{0,59}$/) });
export const settingBody = z.object({ value: z.unknown(), note: z.string().max(500) });
export const settingReply = z.object({ name: z.string(), value: z.unknown() });
