import { useEffect } from 'react';
import { Alert, Button, Card, Empty, List, Popconfirm, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { useAuth } from '../../shared/auth';
import { CURRENT_VERSION, instrument } from './instrument';
import { removeDraft, syncAll } from './offline';
import { SyncBadge } from './parts';
import { registerServiceWorker } from './register-sw';
import { useLocalDrafts, useOnline, useOutbox, usePeople } from './use-offline';

const { Text, Title } = Typography;
const ITEMS = instrument(CURRENT_VERSION).indicators.reduce((n, i) => n + i.items.length, 0);

/**
 * 入户评估's landing (/assessments/new without a person): a day of visits at a glance — every draft on this device with
 * its sync state, and the people kept for offline use, each a tap from a new form.
 */
export function DraftsPage() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const online = useOnline();
  useOutbox(user?.id);
  useEffect(registerServiceWorker, []);
  const drafts = useLocalDrafts(user?.id);
  const { people, refresh } = usePeople(user?.id, online);
  if (!user) return null;
  const started = new Set((drafts ?? []).filter((d) => !d.submitted).map((d) => d.draft.personId));

  return (
    <div data-testid="af-drafts" style={{ maxWidth: 1000 }}>
      <Title level={4}>{t('af.title.drafts')}</Title>
      {!online && <Alert type="info" showIcon message={t('af.sync.offline')} style={{ marginBottom: 12 }} />}
      <Card
        style={{ marginBottom: 16 }}
        extra={
          <Button disabled={!online} onClick={() => void syncAll(user.id)} data-testid="af-sync-now">
            {t('af.sync.now')}
          </Button>
        }
      >
        {drafts && drafts.length === 0 ? (
          <Empty description={t('af.drafts.empty')} />
        ) : (
          <List
            loading={!drafts}
            dataSource={drafts ?? []}
            renderItem={(d) => {
              const answered = Object.keys(d.draft.answers).length;
              const unsent = d.rev !== d.syncedRev;
              return (
                <List.Item
                  data-testid={`af-draft-${d.clientId}`}
                  actions={[
                    d.state === 'conflict' && d.serverId ? (
                      <Link key="server" to={`/assessments/${d.serverId}`}>
                        {t('af.open.server')}
                      </Link>
                    ) : d.submitted && d.serverId ? (
                      <Link key="view" to={`/assessments/${d.serverId}`}>
                        {t('af.open.view')}
                      </Link>
                    ) : (
                      <Link key="go" to={`/assessments/new?clientId=${d.clientId}&personId=${d.draft.personId}`}>
                        {t('af.drafts.continue')}
                      </Link>
                    ),
                    <Popconfirm
                      key="rm"
                      title={unsent ? t('af.drafts.removeConfirm') : t('af.drafts.remove')}
                      onConfirm={() => void removeDraft(user.id, d.clientId)}
                      disabled={d.state === 'syncing'}
                    >
                      <Button type="link" danger size="small">
                        {t('af.drafts.remove')}
                      </Button>
                    </Popconfirm>,
                  ]}
                >
                  <List.Item.Meta
                    title={
                      <Space wrap>
                        <span>{d.person.name || `#${d.draft.personId}`}</span>
                        <Text type="secondary">{d.person.idMasked}</Text>
                        <SyncBadge state={d.state} />
                        {d.submitted && <Text type="success">{t('af.submit.done')}</Text>}
                        {d.submitQueued && !d.submitted && <Text type="warning">{t('af.submit.queued')}</Text>}
                      </Space>
                    }
                    description={
                      <Space wrap>
                        <span>{d.draft.referenceDate}</span>
                        <span>{t(`af.reason.${d.draft.reason}`)}</span>
                        <span>
                          {answered} / {ITEMS}
                        </span>
                        <span>
                          {t('af.drafts.savedAt')} {dayjs(d.savedAt).format('MM-DD HH:mm')}
                        </span>
                        {d.error && <Text type="danger">{d.error}</Text>}
                      </Space>
                    }
                  />
                </List.Item>
              );
            }}
          />
        )}
      </Card>
      <Card
        title={t('af.drafts.people')}
        extra={
          <Button disabled={!online} onClick={refresh}>
            {t('af.drafts.refresh')}
          </Button>
        }
      >
        {people ? (
          <>
            <Text type="secondary">{t('af.drafts.peopleAt', { time: dayjs(people.at).format(locale === 'en' ? 'YYYY-MM-DD HH:mm' : 'MM月DD日 HH:mm') })}</Text>
            {people.dueMissing && <Alert type="warning" showIcon style={{ margin: '8px 0' }} message={t('af.drafts.dueMissing')} />}
            <List
              dataSource={people.items}
              renderItem={(p) => (
                <List.Item
                  data-testid={`af-person-${p.id}`}
                  actions={[
                    <Link key="start" to={`/assessments/new?personId=${p.id}`}>
                      <Button type={started.has(p.id) ? 'default' : 'primary'} size="large">
                        {t('af.drafts.start')}
                      </Button>
                    </Link>,
                  ]}
                >
                  <Space wrap>
                    <b>{p.name}</b>
                    <Text type="secondary">{p.idMasked}</Text>
                    {p.age !== null && <span>{t('af.person.age', { age: p.age })}</span>}
                    <span>{p.regionName}</span>
                    {p.due && <Text type="warning">{t('af.drafts.due', { date: p.due })}</Text>}
                  </Space>
                </List.Item>
              )}
            />
          </>
        ) : (
          <Text type="secondary">{t('af.drafts.peopleNone')}</Text>
        )}
      </Card>
    </div>
  );
}
