import { z } from 'zod';

/** Requests and answers of the payments routes (bank disbursement and reconciliation). */

export const paymentsQuery = z.object({
  period: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional(),
});
export const exportQuery = z.object({ bank: z.string().min(1).max(40).optional() });
export const rollIdParam = z.object({ rollId: z.coerce.number().int().positive() });

const counts = { pending: z.number().int(), paid: z.number().int(), failed: z.number().int() };

export const paymentRoll = z.object({
  rollId: z.number().int(),
  period: z.string(),
  itemId: z.string(),
  itemName: z.string(),
  townCode: z.string(),
  townName: z.string(),
  lines: z.number().int(),
  totalFen: z.number().int(),
  batch: z.object({ reference: z.string(), bank: z.string(), exportedAt: z.string(), exportedBy: z.string(), ...counts }).nullable(),
});
export const paymentsReply = z.object({ items: z.array(paymentRoll) });
export type PaymentsReply = z.infer<typeof paymentsReply>;

export const rollPaymentsReply = z.object({
  roll: z.object({ id: z.number().int(), period: z.string(), itemName: z.string(), townName: z.string(), lines: z.number().int(), totalFen: z.number().int() }),
  banks: z.array(z.object({ bank: z.string(), format: z.enum(['csv', 'xlsx']) })),
  batch: z
    .object({
      reference: z.string(),
      bank: z.string(),
      lines: z.number().int(),
      totalFen: z.number().int(),
      exportedAt: z.string(),
      exportedBy: z.string(),
      exports: z.number().int(),
      ...counts,
    })
    .nullable(),
  returns: z.array(
    z.object({
      id: z.number().int(),
      fileName: z.string(),
      rows: z.number().int(),
      paid: z.number().int(),
      failed: z.number().int(),
      importedAt: z.string(),
      importedBy: z.string(),
    }),
  ),
  failed: z.array(
    z.object({
      personId: z.number().int(),
      name: z.string(),
      idMasked: z.string(),
      cardMasked: z.string(),
      bank: z.string().nullable(),
      regionName: z.string(),
      amountFen: z.number().int(),
      bankCode: z.string().nullable(),
      reason: z.string().nullable(),
      reissuedRollId: z.number().int().nullable(),
    }),
  ),
});
export type RollPaymentsReply = z.infer<typeof rollPaymentsReply>;

export const returnUploadBody = z.object({ file: z.string().meta({ format: 'binary' }) });
export const returnReply = z.object({ returnId: z.number().int(), rows: z.number().int(), paid: z.number().int(), failed: z.number().int() });
export type ReturnReply = z.infer<typeof returnReply>;
