/**
 * The timebank module's words in the audit log. Pure data; src/modules/vocabulary.ts merges every
 * module's words for the console.
 */
export const vocabulary = {
  actions: {
    'timebank.accounts_read': { zh: '查看时间银行账户列表', en: 'View time-bank accounts' },
    'timebank.account_read': { zh: '查看时间银行账户与流水', en: 'View time-bank account and ledger' },
    'timebank.me_read': { zh: '查看本人时间银行账户', en: 'View own time-bank account' },
    'timebank.pending_read': { zh: '查看待确认、待存入的志愿服务', en: 'View volunteer hours waiting' },
    'timebank.account_open': { zh: '开立时间银行账户', en: 'Open time-bank account' },
    'timebank.deposit': { zh: '存入志愿服务时长', en: 'Deposit volunteer hours' },
    'timebank.redeem': { zh: '兑换服务或物品', en: 'Redeem hours' },
    'timebank.transfer': { zh: '转赠时长给亲属', en: 'Transfer hours to a relative' },
    'timebank.reverse': { zh: '冲正时间银行流水', en: 'Reverse time-bank entry' },
    'timebank.check': { zh: '时间银行对账', en: 'Check the time-bank ledger' },
  } as Record<string, { zh: string; en: string }>,
  entities: {
    timebank_account: { zh: '时间银行账户', en: 'Time-bank account' },
    timebank_entry: { zh: '时间银行流水', en: 'Time-bank entry' },
    timebank_check: { zh: '时间银行对账', en: 'Time-bank check' },
  } as Record<string, { zh: string; en: string }>,
};
