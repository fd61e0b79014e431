import { useState } from 'react';
import { Alert, Button, Card, List, Tag, Typography } from 'antd';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { usePaged } from '../../shared/paged';
import { fetchMe, keys } from './api';
import { TransferDialog, type TransferDone } from './actions';
import { Minutes, useHours } from './hours';
import { Ledger } from './ledger';
import type { MeReply, PendingEvent } from './types';

type MePage = NonNullable<MeReply['ledger']> & { me: MeReply };
const EMPTY_PAGE = { items: [], total: 0, page: 1, pageSize: 20 };

/**
 * 我的时间银行 (a volunteer, on a phone): the balance, the services waiting for confirmation or
 * deposit, the ledger, and a transfer to a parent or another relative (named by resident ID number
 * and name), with what it gave shown after.
 */
export function MyTimebankPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const paged = usePaged<MePage>([...keys.me], async (page, pageSize) => {
    const me = await fetchMe(page, pageSize);
    return { ...(me.ledger ?? EMPTY_PAGE), me };
  });
  const me = paged.answer?.me;
  const [transferring, setTransferring] = useState(false);
  const [given, setGiven] = useState<TransferDone | null>(null);
  const hours = useHours();
  const status = (e: PendingEvent) => (
    <Tag color={e.status === 'confirmed' ? 'green' : 'gold'}>{t(e.status === 'confirmed' ? 'tb.me.status.confirmed' : 'tb.me.status.recorded')}</Tag>
  );
  return (
    <div data-testid="tb-me-page" style={{ maxWidth: 720 }}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('tb.me.title')}
      </Typography.Title>
      {paged.error && !me && <Alert type="error" showIcon message={paged.error} />}
      {me && !me.account && <Alert type="info" showIcon message={t('tb.me.noAccount')} data-testid="tb-me-none" style={{ marginBottom: 12 }} />}
      {me?.account && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 12, flexWrap: 'wrap' }}>
            <div>
              <Typography.Text type="secondary">{t('tb.account.balance')}</Typography.Text>
              <div style={{ fontSize: 26, fontWeight: 600 }}>
                <Minutes minutes={me.account.balanceMinutes} testId="tb-me-balance" />
              </div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                #{me.account.id} · {me.account.regionName}
              </Typography.Text>
            </div>
            {can('timebank.transfer') && me.account.status === 'open' && (
              <Button type="primary" size="large" style={{ minHeight: 48 }} onClick={() => setTransferring(true)} data-testid="tb-me-transfer">
                {t('tb.me.transfer')}
              </Button>
            )}
          </div>
        </Card>
      )}
      {given && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setGiven(null)}
          message={t('tb.me.transferred', { amount: hours(given.minutes), to: given.to })}
          data-testid="tb-me-transferred"
          style={{ marginBottom: 12, fontSize: 15 }}
        />
      )}
      {me && (
        <Card size="small" title={t('tb.me.pending')} style={{ marginBottom: 12 }}>
          <List<PendingEvent>
            data-testid="tb-me-pending"
            dataSource={me.pending}
            locale={{ emptyText: t('tb.me.pendingNone') }}
            renderItem={(e) => (
              <List.Item key={e.eventId} extra={status(e)}>
                <List.Item.Meta
                  title={e.personName}
                  description={
                    <>
                      {shanghaiTime(e.startedAt)} · <Minutes minutes={e.durationMinutes} />
                    </>
                  }
                />
              </List.Item>
            )}
          />
        </Card>
      )}
      {me?.account && (
        <>
          <Typography.Title level={5}>{t('tb.ledger')}</Typography.Title>
          <Ledger paged={paged} linkAccounts={false} />
          <TransferDialog account={me.account} open={transferring} onClose={() => setTransferring(false)} canSearch={can('register.read')} onDone={setGiven} />
        </>
      )}
    </div>
  );
}
