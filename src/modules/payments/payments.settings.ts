import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { defineSetting } from '../../platform/settings.js';

/**
 * The banks' file layouts (代发文件格式): which columns the disbursement file carries under which
 * headers, CSV or XLSX, whether the bank's card numbers carry a Luhn check digit, and how its
 * return file names its columns and says "paid". A jurisdiction lists the banks it pays through;
 * the first is the default.
 */
export const DISBURSEMENT_FIELDS = ['seq', 'reference', 'card', 'holder', 'name', 'idNumber', 'amountYuan', 'amountFen', 'bank', 'item', 'period'] as const;
export type DisbursementField = (typeof DISBURSEMENT_FIELDS)[number];

const header = z.string().trim().min(1).max(40);

export const bankLayout = z.object({
  bank: z.string().trim().min(1).max(40),
  format: z.enum(['csv', 'xlsx']),
  /** refuse, before export, a card number whose Luhn check digit is wrong */
  luhn: z.boolean(),
  columns: z
    .array(z.object({ header, field: z.enum(DISBURSEMENT_FIELDS) }))
    .min(1)
    .max(20),
  /** the return file's column headers */
  returnColumns: z.object({ reference: header, residentId: header, card: header, amount: header, status: header, reason: header }),
  /** status codes the bank writes for a line paid; any other code is a failure */
  paidCodes: z.array(z.string().trim().min(1).max(20)).min(1).max(20),
});
export type BankLayout = z.infer<typeof bankLayout>;

export const bankLayoutsSetting = defineSetting<BankLayout[]>({
  name: 'bank_layouts',
  label: { zh: '代发银行文件格式', en: 'Bank disbursement file layouts' },
  description: {
    zh: '本地区代发补贴的银行及其文件格式：代发文件的列与表头、CSV 或 XLSX、卡号是否校验 Luhn 校验位，以及回盘文件的列名和表示“成功”的状态码。第一家为默认银行。',
    en: 'The banks this jurisdiction pays through and their file layouts: the disbursement file’s columns and headers, CSV or XLSX, whether card numbers carry a Luhn check digit, and the return file’s column names and the status codes meaning paid. The first bank is the default.',
  },
  schema: z
    .array(bankLayout)
    .min(1)
    .max(20)
    .refine((l) => new Set(l.map((b) => b.bank)).size === l.length, 'each bank once'),
  initial: () => [
    {
      bank: '农村商业银行',
      format: 'csv',
      luhn: true,
      columns: [
        { header: '序号', field: 'seq' },
        { header: '批次号', field: 'reference' },
        { header: '账号', field: 'card' },
        { header: '户名', field: 'holder' },
        { header: '身份证号', field: 'idNumber' },
        { header: '金额', field: 'amountYuan' },
        { header: '摘要', field: 'item' },
      ],
      returnColumns: { reference: '批次号', residentId: '身份证号', card: '账号', amount: '金额', status: '状态码', reason: '失败原因' },
      paidCodes: ['0000', '00', '成功'],
    },
  ],
});

/** The layouts in force for the platform's jurisdiction. */
export function bankLayouts(ctx: AppContext, regionCode: string): BankLayout[] {
  return ctx.settings.get(bankLayoutsSetting, regionCode);
}
