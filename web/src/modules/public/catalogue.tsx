import { useState } from 'react';
import { useI18n } from '../../shared/i18n-core';
import { useServices } from './api';
import { PlacePicker, usePlace, usePlaceChosen } from './place';
import { BODY, CARD, Loading, pill, PublicShell, SMALL, usePick } from './frame';
import { countKey } from './plural';
import type { ServiceItem } from './types';

const TAG = { display: 'inline-block', padding: '2px 10px', borderRadius: 6, fontSize: 18, fontWeight: 600 } as const;

function Item({ item }: { item: ServiceItem }) {
  const { t } = useI18n();
  const pick = usePick();
  const row = (label: string, text: string) => (
    <p style={{ ...BODY, margin: '4px 0' }}>
      <strong>{label}</strong>
      {text}
    </p>
  );
  return (
    <li style={CARD} data-testid={`pub-item-${item.id}`}>
      <h2 style={{ fontSize: 21, margin: '0 0 6px', color: '#1a1a1a' }}>{item.name}</h2>
      <span
        style={{ ...TAG, background: item.automatic ? '#e3f1e6' : '#fff3d6', color: item.automatic ? '#14521f' : '#6b4500' }}
        data-testid={item.automatic ? 'pub-auto' : 'pub-apply'}
      >
        {item.automatic ? t('pub.cat.automatic') : t('pub.cat.applied')}
      </span>
      {row(t('pub.cat.who'), `${item.group}（${pick(item.who)}）`)}
      {row(t('pub.cat.what'), item.what)}
      {item.amount && row(t('pub.cat.amount'), pick(item.amount))}
      {row(t('pub.cat.ask'), pick(item.ask))}
    </li>
  );
}

/** 服务清单 in plain words: each item, who can get it, what and how much, automatic or applied for, whom to ask. */
export function CataloguePage() {
  const { t } = useI18n();
  // each county its own catalogue: asked for first where the platform holds several
  const [place, setPlace] = usePlace();
  const chosen = usePlaceChosen(place);
  const services = useServices(place, chosen);
  const [only, setOnly] = useState<'all' | 'auto' | 'apply'>('all');
  const s = services.data;
  const items = (s?.items ?? []).filter((i) => only === 'all' || (only === 'auto') === i.automatic);
  const choice = (v: typeof only, label: string) => (
    <button type="button" onClick={() => setOnly(v)} aria-pressed={only === v} style={pill(only === v)} data-testid={`pub-cat-${v}`}>
      {label}
    </button>
  );
  return (
    <PublicShell title={t('pub.cat.title')} testId="pub-catalogue-page">
      <PlacePicker value={place} onChange={setPlace} />
      {!chosen ? null : !s ? (
        <Loading error={services.error} />
      ) : (
        <>
          <p style={SMALL}>{t('pub.cat.basis', { title: s.title, effective: s.effective })}</p>
          {s.partial && (
            <p style={{ ...BODY, background: '#fff3d6', padding: '8px 12px', borderRadius: 8 }} data-testid="pub-cat-partial">
              {t('catalogue.partialHint')}
            </p>
          )}
          <div role="group" aria-label={t('pub.cat.filter')} style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginBottom: 12 }}>
            {choice('all', t('pub.cat.all'))}
            {choice('auto', t('pub.cat.automatic'))}
            {choice('apply', t('pub.cat.applied'))}
          </div>
          <p style={BODY} aria-live="polite" data-testid="pub-cat-count">
            {t(countKey('pub.cat.count', items.length), { n: items.length })}
          </p>
          <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="pub-cat-list">
            {items.map((i) => (
              <Item key={i.id} item={i} />
            ))}
          </ul>
        </>
      )}
    </PublicShell>
  );
}
