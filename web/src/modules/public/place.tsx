import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import type { PublicPlaces } from '../entitlements/types';
import { get } from '../../shared/api';
import { useI18n } from '../../shared/i18n-core';
import { BODY, CARD, pill } from './frame';

const KEY = 'yiyang.place';

function remember(code: string): void {
  try {
    localStorage.setItem(KEY, code);
  } catch {
    // a browser that keeps nothing: the address still carries it
  }
}

function remembered(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

/** The counties the public pages ask for first (each runs its own catalogue); one county: nothing to ask. */
export function usePlaces() {
  return useQuery({ queryKey: ['public', 'places'], queryFn: () => get<PublicPlaces>('/api/public/places'), staleTime: 10 * 60_000 });
}

/**
 * Where the visitor lives: the address's ?place=, else the county chosen on an earlier visit (kept
 * in this browser only), else none. Choosing one keeps it in both, so every public page follows.
 */
export function usePlace(): [string, (code: string) => void] {
  const [params, setParams] = useSearchParams();
  const asked = params.get('place');
  const value = asked ?? remembered();
  // a page opened with ?place= (a shared link) is remembered as if chosen, so home follows it
  useEffect(() => {
    if (asked) remember(asked);
  }, [asked]);
  const set = (code: string) => {
    remember(code);
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set('place', code);
        return next;
      },
      { replace: true },
    );
  };
  return [value, set];
}

/**
 * 请选择您所在的县（市、区）: big buttons, one per county, the chosen one marked. Shown where the
 * platform holds several counties; `required`: the page shows nothing else until one is chosen.
 */
export function PlacePicker({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const { t } = useI18n();
  const places = usePlaces().data?.items ?? [];
  if (places.length < 2) return null;
  // the city's name only where the counties are not all of one city
  const oneCity = new Set(places.map((p) => p.parent)).size === 1;
  return (
    <section style={{ ...CARD, marginBottom: 16 }} aria-labelledby="pub-place-h" data-testid="pub-place">
      <h2 id="pub-place-h" style={{ fontSize: 20, margin: '0 0 8px' }}>
        {t('pub.place.ask')}
      </h2>
      <div role="group" aria-labelledby="pub-place-h" style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
        {places.map((p) => (
          <button
            key={p.code}
            type="button"
            onClick={() => onChange(p.code)}
            aria-pressed={value === p.code}
            data-testid={`pub-place-${p.code}`}
            style={pill(value === p.code, true)}
          >
            {p.parent && !oneCity ? `${p.parent} ${p.name}` : p.name}
          </button>
        ))}
      </div>
      {!places.some((p) => p.code === value) && (
        <p style={{ ...BODY, margin: '8px 0 0' }} data-testid="pub-place-why">
          {t('pub.place.why')}
        </p>
      )}
    </section>
  );
}

/** Whether the page may go on: one county only, or the visitor has chosen one of several. */
export function usePlaceChosen(value: string): boolean {
  const q = usePlaces();
  // the list did not come: the page goes on, and the server asks for the place if it must
  if (q.isError) return true;
  const places = q.data?.items;
  if (!places) return false;
  return places.length < 2 || places.some((p) => p.code === value);
}
