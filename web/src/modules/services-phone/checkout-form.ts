import type { zh } from './messages';
import type { CheckOutBody, ConfirmationBody, Fix } from './types';

/** The check-out form on the device, and its checks before anything is queued. */
export interface CheckoutForm {
  itemsDone: string[];
  notes: string;
  /**
   * The elder's confirmation as the caregiver chose it; null until chosen. No default: 本人确认
   * pre-chosen would record a confirmation the elder never gave, and 暂不确认 pre-chosen made
   * unconfirmed visits the easy path — so the caregiver picks one each time (暂不确认 among them,
   * for an elder who cannot confirm).
   */
  confirmation: null | 'none' | 'person' | 'proxy' | 'card';
  proxyName: string;
  cardCode: string;
  photo: { dataBase64: string; bytes: number; name: string } | null;
}

/** `ticked`: the order's own item, ticked at the start (what the order was for is what is usually done). */
export const emptyCheckout = (ticked: readonly string[] = []): CheckoutForm => ({
  itemsDone: [...ticked],
  notes: '',
  confirmation: null,
  proxyName: '',
  cardCode: '',
  photo: null,
});

export const NOTES_MAX = 2000;

export interface Problem {
  field: 'tasks' | 'confirm' | 'proxy' | 'card';
  key: keyof typeof zh;
}

export function validateCheckout(f: CheckoutForm): Problem[] {
  const out: Problem[] = [];
  if (f.itemsDone.length === 0) out.push({ field: 'tasks', key: 'sp.tasks.none' });
  if (f.confirmation === null) out.push({ field: 'confirm', key: 'sp.confirm.missing' });
  if (f.confirmation === 'proxy' && !f.proxyName.trim()) out.push({ field: 'proxy', key: 'sp.confirm.proxyMissing' });
  if (f.confirmation === 'card' && !/^\d{6,12}$/.test(f.cardCode.trim())) out.push({ field: 'card', key: 'sp.confirm.cardBad' });
  return out;
}

export function toggle(list: readonly string[], code: string): string[] {
  return list.includes(code) ? list.filter((c) => c !== code) : [...list, code];
}

/** What the check-out POSTs (the card code goes to the server once and is not kept there in clear). */
export function checkoutBody(f: CheckoutForm, clientId: string, at: string, location: Fix): CheckOutBody {
  let confirmation: ConfirmationBody | null = null;
  if (f.confirmation === 'person') confirmation = { kind: 'person' };
  if (f.confirmation === 'proxy') confirmation = { kind: 'proxy', note: f.proxyName.trim() };
  if (f.confirmation === 'card') confirmation = { kind: 'card', cardCode: f.cardCode.trim() };
  const body: CheckOutBody = { clientId, at, location, itemsDone: f.itemsDone, confirmation };
  if (f.notes.trim()) body.notes = f.notes.trim().slice(0, NOTES_MAX);
  return body;
}
