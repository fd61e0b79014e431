import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Grid,
  Input,
  List,
  Modal,
  Radio,
  Row,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
  type ButtonProps,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { findDepartment } from '../../../../src/modules/register/sources/departments';
import { useAuth } from '../../shared/auth';
import { declaredValueLabels } from '../../shared/fact-labels';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { useAssessors, useAssign, useEndAssignment, usePersonAssignments, usePersonCapability, useRequestAssessment } from './api';
import { LevelTag, reasonKey, StatusTag } from './labels';
import type { AssessmentSummary, AssignmentView, PersonCapabilityReply, RequestReason } from './types';

const REQUEST_REASONS: RequestReason[] = ['change', 'request', 'admission'];

/** 申请评估: why (a change of condition needs what changed), and a note; the person becomes due now. */
function RequestDialog({ personId, open, onClose }: { personId: string; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const ask = useRequestAssessment(personId);
  const [form] = Form.useForm<{ reason: RequestReason; note: string }>();
  const reason = Form.useWatch('reason', form);
  const submit = async () => {
    let v: { reason: RequestReason; note: string };
    try {
      v = await form.validateFields();
    } catch {
      return; // the fields say what is missing
    }
    try {
      await ask.mutateAsync({ reason: v.reason, note: v.note ?? '' });
      message.success(t('asm.cap.requested'));
      form.resetFields();
      onClose();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Modal
      open={open}
      title={t('asm.cap.requestTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ loading: ask.isPending, 'data-testid': 'request-ok' } as ButtonProps}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ reason: 'change', note: '' }}>
        <Form.Item name="reason" label={t('asm.cap.requestReason')} rules={[{ required: true, message: t('asm.required') }]}>
          <Radio.Group data-testid="request-reason">
            {REQUEST_REASONS.map((r) => (
              <Radio key={r} value={r} data-testid={`request-reason-${r}`}>
                {t(reasonKey(r))}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="note"
          label={t('asm.cap.requestNote')}
          rules={reason === 'change' ? [{ required: true, whitespace: true, message: t('asm.required') }] : []}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="request-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 分派评估员 on the profile: one person to an assessor, with a note. */
function AssignDialog({ personId, open, onClose }: { personId: string; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const assessors = useAssessors(open);
  const assign = useAssign();
  const [form] = Form.useForm<{ assessorId: number; note: string }>();
  const submit = async () => {
    let v: { assessorId: number; note: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      const r = await assign.mutateAsync({ personIds: [Number(personId)], assessorId: v.assessorId, note: v.note ?? '' });
      message.success(t('asm.due.assigned', { n: r.assigned, re: r.reassigned, same: r.unchanged }));
      onClose();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Modal
      open={open}
      title={t('asm.cap.assign')}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ loading: assign.isPending, 'data-testid': 'cap-assign-ok' } as ButtonProps}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="assessorId" label={t('asm.due.assignTo')} rules={[{ required: true, message: t('asm.due.pickAssessor') }]}>
          <Select
            showSearch
            optionFilterProp="label"
            loading={assessors.isLoading}
            data-testid="cap-assign-assessor"
            options={(assessors.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.name}（${a.regionName}）` }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('asm.due.note')}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The level the rules read, and the long-term-care insurance grade beside it. */
function Current({ data }: { data: PersonCapabilityReply }) {
  const { t, pick } = useI18n();
  // the grade and its source as the register's declarations name them (医保's 轻度失能 ...)
  const grade = data.ltc && declaredValueLabels('ltcGrade')[data.ltc.grade];
  const source = data.ltc?.source ? findDepartment(data.ltc.source) : undefined;
  const c = data.current;
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
      <Col xs={24} md={14}>
        <Card size="small" title={t('asm.cap.current')} data-testid="cap-current" style={{ height: '100%' }}>
          {c ? (
            <>
              <Space size={8} align="center" style={{ marginBottom: 8 }} wrap>
                <LevelTag level={c.level} testId="cap-level" large />
                {c.expired && (
                  <Tag color="red" data-testid="cap-expired">
                    {t('asm.cap.expired')}
                  </Tag>
                )}
                <Link to={`/assessments/${c.assessmentId}`}>{t('asm.open')}</Link>
              </Space>
              <Descriptions size="small" column={{ xs: 1, sm: 3 }}>
                <Descriptions.Item label={t('asm.cap.refDate')}>{c.referenceDate}</Descriptions.Item>
                <Descriptions.Item label={t('asm.cap.validUntil')}>{c.validUntil}</Descriptions.Item>
                <Descriptions.Item label={t('asm.cap.nextDue')}>{c.nextDue}</Descriptions.Item>
              </Descriptions>
            </>
          ) : (
            <Typography.Text type="secondary" data-testid="cap-level">
              {t('asm.cap.none')}
            </Typography.Text>
          )}
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
            {t('asm.cap.currentHint')}
          </Typography.Paragraph>
        </Card>
      </Col>
      <Col xs={24} md={10}>
        <Card size="small" title={t('asm.cap.ltc')} data-testid="cap-ltc" style={{ height: '100%' }}>
          {data.ltc ? (
            <>
              <Typography.Text strong style={{ fontSize: 16 }} data-testid="cap-ltc-grade">
                {grade ? pick(grade.zh, grade.en) : data.ltc.grade}
              </Typography.Text>
              <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
                <Descriptions.Item label={t('asm.cap.ltcAsOf')}>{data.ltc.asOf ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('asm.cap.ltcSource')}>{source ? pick(source.label, source.labelEn) : (data.ltc.source ?? '—')}</Descriptions.Item>
              </Descriptions>
            </>
          ) : (
            <Typography.Text type="secondary">{t('asm.cap.ltcNone')}</Typography.Text>
          )}
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
            {t('asm.cap.ltcHint')}
          </Typography.Paragraph>
        </Card>
      </Col>
    </Row>
  );
}

function Assignments({ personId, canAssign }: { personId: string; canAssign: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const list = usePersonAssignments(personId, true);
  const end = useEndAssignment(personId);
  const [assigning, setAssigning] = useState(false);
  const columns: ColumnsType<AssignmentView> = [
    { title: t('asm.due.assignTo'), key: 'assessor', render: (_, a) => a.assessor.name },
    { title: t('asm.due.note'), dataIndex: 'note', render: (v: string | null) => v || '—' },
    {
      title: '',
      key: 'when',
      render: (_, a) => (
        <Space direction="vertical" size={0} style={{ fontSize: 12 }}>
          <span>{t('asm.cap.assignedBy', { by: a.assignedBy.name, at: shanghaiTime(a.assignedAt) })}</span>
          {a.endedAt && <Typography.Text type="secondary">{t('asm.cap.ended', { at: shanghaiTime(a.endedAt) })}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: '',
      key: 'end',
      width: 100,
      render: (_, a) =>
        a.endedAt || !canAssign ? null : (
          <Button
            size="small"
            loading={end.isPending}
            data-testid={`cap-end-${a.id}`}
            onClick={() => end.mutate(a.id, { onError: (e) => message.error(e.message) })}
          >
            {t('asm.cap.endAssignment')}
          </Button>
        ),
    },
  ];
  return (
    <Card
      size="small"
      title={t('asm.cap.assignments')}
      extra={
        canAssign && (
          <Button size="small" onClick={() => setAssigning(true)} data-testid="cap-assign">
            {t('asm.cap.assign')}
          </Button>
        )
      }
      style={{ marginTop: 12 }}
    >
      <Table<AssignmentView>
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('asm.cap.noAssignments') }}
        scroll={{ x: 560 }}
        data-testid="cap-assignments"
      />
      <AssignDialog personId={personId} open={assigning} onClose={() => setAssigning(false)} />
    </Card>
  );
}

/**
 * The profile's 能力评估 tab (mounted when opened: reading it is audited): the level the entitlement
 * rules read with its dates, the long-term-care insurance grade beside it, the open request, the
 * assessments, and for officers the assignments.
 */
export function ProfileCapability({ personId }: { personId: string }) {
  const { can } = useAuth();
  return can('assessments.read') ? <Capability personId={personId} /> : <RequestOnly personId={personId} />;
}

/** For a role that may ask for an assessment and read none (a grid worker): the request alone. */
function RequestOnly({ personId }: { personId: string }) {
  const { t } = useI18n();
  const [requesting, setRequesting] = useState(false);
  return (
    <div data-testid="profile-capability">
      <Typography.Paragraph type="secondary">{t('asm.cap.requestOnly')}</Typography.Paragraph>
      <Button onClick={() => setRequesting(true)} data-testid="cap-request">
        {t('asm.cap.request')}
      </Button>
      <RequestDialog personId={personId} open={requesting} onClose={() => setRequesting(false)} />
    </div>
  );
}

function Capability({ personId }: { personId: string }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const cap = usePersonCapability(personId);
  const phone = Grid.useBreakpoint().xs === true;
  const [requesting, setRequesting] = useState(false);
  if (cap.error) return <Alert type="error" showIcon message={cap.error.message} />;
  const data = cap.data;
  if (!data) return <Skeleton active />;
  const columns: ColumnsType<AssessmentSummary> = [
    { title: t('asm.col.date'), dataIndex: 'referenceDate', render: (v: string, a) => <Link to={`/assessments/${a.id}`}>{v}</Link> },
    { title: t('asm.col.reason'), dataIndex: 'reason', render: (v: string) => t(reasonKey(v)) },
    { title: t('asm.col.status'), key: 'status', render: (_, a) => <StatusTag a={a} /> },
    { title: t('asm.col.total'), dataIndex: 'total', align: 'right' },
    { title: t('asm.col.level'), dataIndex: 'finalLevel', render: (v: AssessmentSummary['finalLevel']) => <LevelTag level={v} /> },
    { title: t('asm.col.assessors'), key: 'assessors', render: (_, a) => `${a.assessor1.name}${a.assessor2 ? ` / ${a.assessor2.name}` : ''}` },
  ];
  return (
    <div data-testid="profile-capability">
      <Current data={data} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text data-testid="cap-due">{data.due ? `${t('asm.cap.due')}：${data.due}` : t('asm.cap.notScheduled')}</Typography.Text>
        {can('assessments.request') && !data.openRequest && (
          <Button onClick={() => setRequesting(true)} data-testid="cap-request">
            {t('asm.cap.request')}
          </Button>
        )}
        {can('assessments.write') && (
          <Link to={`/assessments/new?personId=${personId}`} data-testid="cap-new">
            <Button type="primary">{t('asm.new')}</Button>
          </Link>
        )}
      </Space>
      {data.openRequest && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="cap-open-request"
          message={t('asm.cap.openRequest')}
          description={`${t('asm.cap.requestedAt', { at: shanghaiTime(data.openRequest.requestedAt), reason: t(reasonKey(data.openRequest.reason)) })}${data.openRequest.note ? `；${data.openRequest.note}` : ''}`}
        />
      )}
      <Card size="small" title={t('asm.cap.history')}>
        {phone ? (
          <List<AssessmentSummary>
            data-testid="cap-history"
            dataSource={data.assessments}
            locale={{ emptyText: t('asm.cap.noHistory') }}
            renderItem={(a) => (
              <List.Item key={a.id} style={{ display: 'block' }}>
                <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                  <Link to={`/assessments/${a.id}`}>{a.referenceDate}</Link>
                  <LevelTag level={a.finalLevel} />
                </div>
                <div style={{ fontSize: 12, marginTop: 4 }}>
                  {t(reasonKey(a.reason))} · {t('asm.total', { n: a.total })} · <StatusTag a={a} />
                </div>
              </List.Item>
            )}
          />
        ) : (
          <Table<AssessmentSummary>
            size="small"
            rowKey="id"
            dataSource={data.assessments}
            columns={columns}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            locale={{ emptyText: t('asm.cap.noHistory') }}
            scroll={{ x: 640 }}
            data-testid="cap-history"
          />
        )}
      </Card>
      <Assignments personId={personId} canAssign={can('assessments.schedule')} />
      <RequestDialog personId={personId} open={requesting} onClose={() => setRequesting(false)} />
    </div>
  );
}
