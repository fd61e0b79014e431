import { Alert, Card, Col, Descriptions, List, Row, Space, Tag, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { dash, shanghaiTime } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { DeviceState, useKindWords } from '../alarm-devices/labels';
import { label } from '../alarms/queue';
import { usePerson } from '../register/api';
import { PersonPicker } from '../timebank/pickers';
import { useSummary } from './api';
import { ContactsCard } from './contacts';
import { Deadline, TicketKindTag, useHotlineWords } from './labels';
import { OverridesCard } from './overrides';

/** 人员热线档案 (/hotline/persons/:id): who, where, contacts, devices, rule changes, recent alarms, calls, return calls. */
export function PersonPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const w = useHotlineWords();
  const kinds = useKindWords();
  const personId = Number(useParams().id);
  const reader = can('hotline.read');
  const summary = useSummary(personId, reader && Number.isFinite(personId));
  const s = summary.data;
  // a grid worker keeps contacts without the operator's summary: the name comes from the register's profile
  const registered = usePerson(!reader && Number.isFinite(personId) && personId > 0 ? String(personId) : undefined);
  const name = s?.person.name ?? registered.data?.person.name;
  if (!Number.isFinite(personId) || personId <= 0) return <Alert type="error" showIcon message={t('hl.p.badId')} />;
  return (
    <div data-testid="hl-person-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {name ? t('hl.p.title', { name }) : t('hl.p.titleId', { id: personId })}
      </Typography.Title>
      {summary.error && <Alert type="error" showIcon message={summary.error.message} style={{ marginBottom: 12 }} />}
      <Row gutter={[12, 12]}>
        {s && (
          <Col xs={24} lg={12}>
            <Card size="small" title={t('hl.p.person')} data-testid="hl-person">
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('hl.p.who')}>
                  {s.person.name} · {label(t, 'sex', s.person.sex)} · {t('hl.p.age', { n: s.person.age })}
                </Descriptions.Item>
                <Descriptions.Item label={t('hl.p.id')}>{s.person.idMasked}</Descriptions.Item>
                <Descriptions.Item label={t('hl.p.phone')}>{dash(s.person.phoneMasked)}</Descriptions.Item>
                <Descriptions.Item label={t('hl.p.region')}>{s.person.regionName}</Descriptions.Item>
                <Descriptions.Item label={t('hl.p.address')}>{dash(s.person.address)}</Descriptions.Item>
              </Descriptions>
            </Card>
          </Col>
        )}
        <Col xs={24} lg={12}>
          <ContactsCard personId={personId} />
        </Col>
        {s && (
          <Col xs={24} lg={12}>
            <Card size="small" title={t('hl.p.devices')} data-testid="hl-person-devices">
              <List
                size="small"
                dataSource={s.devices}
                locale={{ emptyText: t('hl.p.noDevices') }}
                renderItem={(d) => (
                  <List.Item key={d.id} style={{ flexWrap: 'wrap', gap: 4 }}>
                    <div style={{ minWidth: 0 }}>
                      <Link to={`/alarms/devices?device=${d.id}`}>{d.serial}</Link> <Typography.Text type="secondary">{kinds.device(d.kind)}</Typography.Text>
                    </div>
                    <DeviceState d={d} testId={`hl-device-state-${d.id}`} />
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
        <Col xs={24} lg={12}>
          <OverridesCard personId={personId} />
        </Col>
        {s && (
          <Col xs={24} lg={12}>
            <Card size="small" title={t('hl.p.alarms')} data-testid="hl-person-alarms">
              <List
                size="small"
                dataSource={s.recentAlarms}
                locale={{ emptyText: t('hl.p.noAlarms') }}
                renderItem={(a) => (
                  <List.Item key={a.id}>
                    <Space size={4} wrap>
                      <Typography.Text type="secondary">{shanghaiTime(a.raisedAt).slice(0, 16)}</Typography.Text>
                      <Link to={`/alarms?alarm=${a.id}`}>
                        #{a.id} {w.alarmKind(a.kind)}
                      </Link>
                      <Tag color={a.state === 'resolved' ? undefined : 'red'}>{w.alarmState(a.state)}</Tag>
                      {a.outcome && <Typography.Text type="secondary">{w.alarmOutcome(a.outcome)}</Typography.Text>}
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
        {s && (
          <Col xs={24} lg={12}>
            <Card size="small" title={t('hl.p.tickets')} data-testid="hl-person-tickets">
              <List
                size="small"
                dataSource={s.openTickets}
                locale={{ emptyText: t('hl.p.noTickets') }}
                renderItem={(tk) => (
                  <List.Item key={tk.id}>
                    <div>
                      <Space size={4} wrap>
                        <TicketKindTag kind={tk.kind} />
                        <Link to={`/hotline?ticket=${tk.id}`}>
                          #{tk.id} {tk.subject}
                        </Link>
                      </Space>
                      <div>
                        <Deadline ticket={tk} />
                      </div>
                    </div>
                  </List.Item>
                )}
              />
              {s.openCallbacks.length > 0 && (
                <>
                  <Typography.Text strong>{t('hl.p.callbacks')}</Typography.Text>
                  <List
                    size="small"
                    dataSource={s.openCallbacks}
                    renderItem={(c) => (
                      <List.Item key={c.id}>
                        <Typography.Text type={c.overdue ? 'danger' : undefined}>{t('hl.p.callbackDue', { on: c.dueOn })}</Typography.Text>
                      </List.Item>
                    )}
                  />
                </>
              )}
            </Card>
          </Col>
        )}
        {s && (
          <Col xs={24} lg={12}>
            <Card size="small" title={t('hl.p.providers')} data-testid="hl-person-providers">
              <List
                size="small"
                dataSource={s.nearestProviders}
                locale={{ emptyText: t('hl.p.noProviders') }}
                renderItem={(p) => (
                  <List.Item key={p.id}>
                    <span>
                      {p.name} <Typography.Text type="secondary">{p.regionName}</Typography.Text>
                    </span>
                    <Tag>{t(`hl.p.reach.${p.reach}` as MessageKey)}</Tag>
                  </List.Item>
                )}
              />
              {s.recentVisits.length > 0 && (
                <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                  {t('hl.p.lastVisit', { at: shanghaiTime(s.recentVisits[0]!.startedAt).slice(0, 16) })}
                </Typography.Paragraph>
              )}
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}

/** 查找人员: find a person by name or ID, then open their hotline profile. */
export function PersonsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <div data-testid="hl-persons-page" style={{ maxWidth: 560 }}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('hl.p.find')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('hl.p.findHint')}</Typography.Paragraph>
      <PersonPicker testId="hl-persons-pick" onChange={(id) => id && navigate(`/hotline/persons/${id}`)} />
    </div>
  );
}
