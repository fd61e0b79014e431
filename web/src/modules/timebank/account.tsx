import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Space, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n-core';
import { usePaged } from '../../shared/paged';
import { fetchAccount, keys } from './api';
import { holderKey } from './accounts';
import { RedeemDialog, ReverseDialog, TransferDialog } from './actions';
import { Minutes } from './hours';
import { Ledger } from './ledger';
import type { AccountDetail, LedgerLine } from './types';

/** One account: its holder and balance, its ledger, and what the viewer may do: redeem, transfer, reverse. */
export function AccountPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const id = Number(useParams().id);
  const paged = usePaged<AccountDetail['ledger'] & { account: AccountDetail['account'] }>([...keys.account(id)], async (page, pageSize) => {
    const d = await fetchAccount(id, page, pageSize);
    return { ...d.ledger, account: d.account };
  });
  const account = paged.answer?.account;
  const [redeeming, setRedeeming] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const [reversing, setReversing] = useState<LedgerLine | null>(null);
  if (paged.error && !account) return <Alert type="error" showIcon message={paged.error} data-testid="tb-account-error" />;
  const holder = account?.holder?.name ?? (account ? `#${account.id}` : '…');
  const isHolder = account?.holderKind !== 'system';
  return (
    <div data-testid="tb-account-page">
      <Link to="/timebank">{t('tb.back')}</Link>
      <Typography.Title level={4} style={{ margin: '8px 0 12px' }}>
        {t('tb.account.title', { name: holder })}
      </Typography.Title>
      {account && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', flexWrap: 'wrap', gap: 12, alignItems: 'center' }}>
            <Descriptions size="small" column={{ xs: 1, sm: 3 }} style={{ flex: 1, minWidth: 260 }}>
              <Descriptions.Item label={t('tb.account.balance')}>
                <b style={{ fontSize: 18 }}>
                  <Minutes minutes={account.balanceMinutes} testId="tb-account-balance" />
                </b>
              </Descriptions.Item>
              <Descriptions.Item label={t('tb.account.kind')}>{t(holderKey(account.holderKind))}</Descriptions.Item>
              <Descriptions.Item label={t('tb.account.region')}>{account.regionName}</Descriptions.Item>
            </Descriptions>
            {isHolder && account.status === 'open' && (
              <Space wrap>
                {can('timebank.redeem') && (
                  <Button type="primary" size="large" onClick={() => setRedeeming(true)} data-testid="tb-redeem-open">
                    {t('tb.redeem')}
                  </Button>
                )}
                {can('timebank.transfer') && (
                  <Button size="large" onClick={() => setTransferring(true)} data-testid="tb-transfer-open">
                    {t('tb.transfer')}
                  </Button>
                )}
              </Space>
            )}
          </div>
        </Card>
      )}
      <Typography.Title level={5}>{t('tb.ledger')}</Typography.Title>
      <Ledger paged={paged} onReverse={can('timebank.manage') ? setReversing : undefined} />
      {account && (
        <>
          <RedeemDialog account={account} open={redeeming} onClose={() => setRedeeming(false)} />
          <TransferDialog account={account} open={transferring} onClose={() => setTransferring(false)} canSearch={can('register.read')} />
        </>
      )}
      <ReverseDialog line={reversing} onClose={() => setReversing(null)} />
    </div>
  );
}
