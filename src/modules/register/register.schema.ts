import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';

/** Inputs of the register's HTTP API. */
export const searchQuery = z.object({
  /** a name prefix, or a full 18-character resident ID */
  q: z.string().max(40).optional(),
  regionCode: z
    .string()
    .regex(/^\d{6,12}$/)
    .optional(),
  /** comma-separated tag keys */
  tags: z.string().max(400).optional(),
  status: z.enum(['active', 'closed', 'all']).default('active'),
  ...paging,
});

export const revealBody = z.object({ field: z.enum(['idNumber', 'phone']) });

/** `full=true` asks for full IDs and phones (roles that may reveal); anything else is the masked export. */
const fullFlag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

/** The search's filter without paging: the export holds every match (up to the cap). */
export const searchExportQuery = searchQuery.omit({ page: true, pageSize: true }).extend({ full: fullFlag });

export const conflictQuery = z.object({ status: z.enum(['open', 'kept', 'accepted']).default('open'), ...paging });
export const conflictExportQuery = z.object({ status: z.enum(['open', 'kept', 'accepted']).default('open'), full: fullFlag });

export const resolveBody = z.object({ choice: z.enum(['keep', 'accept']) });

/** What a list row and the profile both show of a person: masked values only. */
export const personBase = z.object({
  id: z.number(),
  name: z.string(),
  sex: z.string(),
  birthDate: z.string(),
  age: z.number(),
  idMasked: z.string(),
  phoneMasked: z.string().nullable(),
  regionCode: z.string(),
  status: z.string(),
  tags: z.array(z.string()),
});
export const personRow = personBase.extend({ regionName: z.string(), townName: z.string() });
export const searchReply = pageOf(personRow);

export const attribute = z.object({
  field: z.string(),
  label: z.string(),
  labelEn: z.string(),
  value: z.string().nullable(),
  source: z.string(),
  sourceLabel: z.string(),
  sourceLabelEn: z.string(),
  asOf: z.string().nullable(),
});
export const conflict = z.object({
  id: z.number(),
  personId: z.number().optional(),
  personName: z.string().optional(),
  regionName: z.string().optional(),
  field: z.string(),
  label: z.string(),
  labelEn: z.string(),
  status: z.string(),
  currentValue: z.string().nullable(),
  currentSource: z.string(),
  currentSourceLabel: z.string(),
  currentSourceLabelEn: z.string(),
  currentAsOf: z.string(),
  incomingValue: z.string().nullable(),
  incomingSource: z.string(),
  incomingSourceLabel: z.string(),
  incomingSourceLabelEn: z.string(),
  incomingAsOf: z.string(),
});
export const conflictsReply = pageOf(conflict);
export const historyEntry = z.object({
  field: z.string(),
  label: z.string(),
  labelEn: z.string(),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  source: z.string(),
  sourceLabel: z.string(),
  sourceLabelEn: z.string(),
  asOf: z.string(),
  at: z.string(),
});
/** Who read or changed the record: shown to roles that read the audit log. */
export const accessEntry = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  role: z.string().nullable(),
  action: z.string(),
  fields: z.array(z.string()).nullable(),
});
export const profileReply = z.object({
  person: personRow.extend({
    regionPath: z.array(z.object({ code: z.string(), name: z.string() })),
    closedOn: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
  attributes: z.array(attribute),
  conflicts: z.array(conflict),
  history: z.array(historyEntry),
  access: z.array(accessEntry).optional(),
});
export const revealReply = z.object({ field: z.enum(['idNumber', 'phone']), value: z.string() });

export type PersonBase = z.infer<typeof personBase>;
export type PersonRow = z.infer<typeof personRow>;
export type Attribute = z.infer<typeof attribute>;
export type Conflict = z.infer<typeof conflict>;
export type HistoryEntry = z.infer<typeof historyEntry>;
export type AccessEntry = z.infer<typeof accessEntry>;
export type PersonDetail = z.infer<typeof profileReply>;
export type RevealReply = z.infer<typeof revealReply>;
export type SearchQuery = z.input<typeof searchQuery>;
