import { useState } from 'react';
import { Alert, Button, Descriptions, Input, Space, Table, Tag, Typography } from 'antd';
import { verifyRound, type PublishedRound, type Verification } from '../../../../src/lib/draw';
import { shanghaiTime } from '../../shared/format';
import { countKey } from '../public/plural';
import { useI18n } from '../../shared/i18n-core';
import type { RoundView } from './api';

const mono = { fontFamily: 'monospace', wordBreak: 'break-all' as const, fontSize: 12 };

export function StratumTag({ s }: { s: string }) {
  const { t } = useI18n();
  const color = { A: 'green', B: 'blue', C: 'orange', D: 'red' }[s] ?? 'default';
  return <Tag color={color}>{s === 'unrated' ? t('sv.stratum.unrated') : s}</Tag>;
}

/** A target's kind in words, from its key's prefix (the frozen pools hold the key, not the kind). */
export function targetKindWords(t: (k: 'sv.kind.facility' | 'sv.kind.provider') => string, key: string): string {
  return t(key.startsWith('provider:') ? 'sv.kind.provider' : 'sv.kind.facility');
}

/** The published document a re-run takes: exactly what the public page shows. */
export function publishedOf(r: RoundView): PublishedRound {
  return {
    pools: r.pools,
    poolsDigest: r.poolsDigest,
    commitment: r.commitment,
    secret: r.secret,
    externalValue: r.externalValue,
    seed: r.seed,
    result: r.result,
  };
}

function VerificationView({ v }: { v: Verification }) {
  const { t } = useI18n();
  const row = (label: string, ok: boolean) => (
    <div>
      {label}：<Tag color={ok ? 'green' : 'red'}>{t(ok ? 'sv.verify.ok' : 'sv.verify.bad')}</Tag>
    </div>
  );
  return (
    <div data-testid="sv-verify-answer" data-ok={v.ok ? 'yes' : 'no'}>
      <Alert type={v.ok ? 'success' : 'error'} showIcon message={t(v.ok ? 'sv.verify.match' : 'sv.verify.mismatch')} style={{ marginBottom: 8 }} />
      {row(t('sv.verify.digest'), v.digestMatches)}
      {row(t('sv.verify.commitment'), v.commitmentMatches)}
      {row(t('sv.verify.seed'), v.seedMatches)}
      {row(t('sv.verify.result'), v.resultMatches)}
    </div>
  );
}

/** Re-runs the draw in the browser (WebCrypto, src/lib/draw.ts) from the round as published, or from an edited copy. */
export function VerifyPanel({ round }: { round: RoundView }) {
  const { t } = useI18n();
  const [v, setV] = useState<Verification | null>(null);
  const [copy, setCopy] = useState(() => JSON.stringify(publishedOf(round), null, 1));
  const [copyV, setCopyV] = useState<Verification | null>(null);
  const [copyError, setCopyError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (doc: PublishedRound, set: (x: Verification) => void) => {
    setBusy(true);
    try {
      set(await verifyRound(doc));
    } finally {
      setBusy(false);
    }
  };
  const runCopy = () => {
    setCopyError(null);
    setCopyV(null);
    let doc: PublishedRound;
    try {
      doc = JSON.parse(copy) as PublishedRound;
    } catch (e) {
      setCopyError(t('sv.verify.badJson', { error: (e as Error).message }));
      return;
    }
    void run(doc, setCopyV);
  };
  const download = () => {
    const blob = new Blob([JSON.stringify(publishedOf(round), null, 1)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `round-${round.id}.json`;
    a.click();
  };
  return (
    <div data-testid="sv-verify">
      <Typography.Title level={5}>{t('sv.verify.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('sv.verify.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 8 }}>
        <Button
          type="primary"
          size="large"
          loading={busy}
          disabled={round.status !== 'drawn'}
          onClick={() => void run(publishedOf(round), setV)}
          data-testid="sv-verify-run"
        >
          {t('sv.verify.run')}
        </Button>
        <Button onClick={download}>{t('sv.round.download')}</Button>
      </Space>
      {v && <VerificationView v={v} />}
      <details style={{ marginTop: 12 }}>
        <summary data-testid="sv-verify-copy-open">{t('sv.verify.copy')}</summary>
        <Input.TextArea
          value={copy}
          onChange={(e) => setCopy(e.target.value)}
          autoSize={{ minRows: 6, maxRows: 16 }}
          style={mono}
          data-testid="sv-verify-copy"
        />
        <Button style={{ marginTop: 8 }} onClick={runCopy} data-testid="sv-verify-copy-run">
          {t('sv.verify.copyRun')}
        </Button>
        {copyError && <Alert type="error" message={copyError} style={{ marginTop: 8 }} />}
        {copyV && (
          <div data-testid="sv-verify-copy-answer">
            <VerificationView v={copyV} />
          </div>
        )}
      </details>
    </div>
  );
}

/** A round as published: pools, digest, commitment, drand round, revealed secret, value, seed, result. */
export function RoundDetails({ round }: { round: RoundView }) {
  const { t } = useI18n();
  const names = new Map(round.pools.targets.map((x) => [x.key, x.name]));
  const inspectors = new Map(round.pools.inspectors.map((i) => [i.id, i.name]));
  return (
    <div data-testid="sv-round">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {round.name} <Tag>{t(round.status === 'drawn' ? 'sv.status.drawn' : 'sv.status.announced')}</Tag>
      </Typography.Title>
      <Descriptions bordered size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('sv.round.digest')}>
          <span style={mono} data-testid="sv-digest">
            {round.poolsDigest}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('sv.round.commitment')}>
          <span style={mono}>{round.commitment}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('sv.round.external')}>
          {t('sv.round.externalSource', { round: round.externalRound, at: shanghaiTime(round.externalAt) })}
          {round.externalValue && <div style={mono}>{round.externalValue}</div>}
        </Descriptions.Item>
        <Descriptions.Item label={t('sv.round.secret')}>
          <span style={mono}>{round.secret ?? t('sv.round.notYet')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('sv.round.seed')}>
          <span style={mono}>{round.seed ?? t('sv.round.notYet')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('sv.round.counts')}>
          <Space wrap>
            {Object.entries(round.pools.counts).map(([s, n]) => (
              <span key={s}>
                <StratumTag s={s} /> {n}
              </span>
            ))}
            <span>{t(countKey('sv.round.perTarget', round.pools.inspectorsPerTarget), { n: round.pools.inspectorsPerTarget })}</span>
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('sv.round.algorithm')}>{round.algorithm}</Descriptions.Item>
      </Descriptions>
      {round.result && (
        <>
          <Typography.Title level={5}>{t('sv.round.result')}</Typography.Title>
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            data-testid="sv-result"
            scroll={{ x: 480 }}
            dataSource={round.result.targets}
            columns={[
              { title: t('sv.col.target'), key: 'n', render: (_, x) => names.get(x.key) ?? t('sv.round.unknownTarget') },
              { title: t('sv.col.stratum'), dataIndex: 'stratum', width: 90, render: (s: string) => <StratumTag s={s} /> },
              {
                title: t('sv.col.inspectors'),
                key: 'i',
                render: (_, x) => x.inspectors.map((i) => inspectors.get(i) ?? t('sv.round.unknownInspector')).join('、'),
              },
            ]}
          />
        </>
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('sv.round.pools')}
      </Typography.Title>
      <Table
        size="small"
        rowKey="key"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 420 }}
        dataSource={round.pools.targets}
        columns={[
          { title: t('sv.col.target'), dataIndex: 'name' },
          { title: t('sv.col.kind'), key: 'kind', width: 130, render: (_, x) => targetKindWords(t, x.key) },
          { title: t('sv.col.stratum'), dataIndex: 'stratum', width: 90, render: (s: string) => <StratumTag s={s} /> },
        ]}
      />
      <Typography.Paragraph style={{ marginTop: 8 }}>
        {t('sv.col.inspectors')}：{round.pools.inspectors.map((i) => i.name).join('、')}
      </Typography.Paragraph>
      <Typography.Paragraph>
        {t('sv.col.conflicts')}：
        {round.pools.conflicts
          .map(([i, k]) => `${inspectors.get(i) ?? t('sv.round.unknownInspector')} – ${names.get(k) ?? t('sv.round.unknownTarget')}`)
          .join('、') || '—'}
      </Typography.Paragraph>
    </div>
  );
}
