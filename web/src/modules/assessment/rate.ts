/** A rate (0..1) as a percentage with one decimal; '—' when there is none (nobody that old, nothing re-assessed). */
export const percent = (rate: number | null) => (rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`);
