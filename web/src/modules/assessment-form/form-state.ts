import type { AssessmentDraftInput, AssessmentPlace, AssessmentReason, AssessmentView, BasicInfo, HealthInfo } from './types';

/** What the form holds: the draft the device sends, without its ids. */
export interface FormState {
  personId: number | null;
  referenceDate: string;
  place: AssessmentPlace;
  reason: AssessmentReason;
  assessor2Id: number | null;
  supersedesId: number | null;
  correctionReason: string | null;
  answers: Record<string, number>;
  basic: BasicInfo;
  health: HealthInfo;
  notes: string;
  signatures: { assessor1: string | null; elder: { image: string; signer: 'elder' | 'guardian' | 'informant'; name: string } | null };
}

export const emptyBasic = (): BasicInfo => ({
  maritalStatus: 'unknown',
  livingWith: [],
  medicalPayment: [],
  incomeSource: [],
  informant: { name: '', relation: '' },
  dementia: false,
  mentalDisorder: false,
  diagnoses: '',
  medications: '',
  riskEvents: { falls: 0, choking: 0, suicide: 0, selfHarm: 0, wandering: 0, other: 0 },
});

export const emptyHealth = (): HealthInfo => ({
  coma: false,
  pressureInjury: 'none',
  jointMobility: 'normal',
  wounds: false,
  specialCare: [],
  pain: 'none',
  teeth: 'normal',
  swallowing: 'normal',
  heightCm: null,
  weightKg: null,
  airwayClearance: 'normal',
});

/** Today as a civil date on the device (the assessor's day). */
export function localToday(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

export function emptyForm(personId: number | null): FormState {
  return {
    personId,
    referenceDate: localToday(),
    place: 'home',
    reason: 'periodic',
    assessor2Id: null,
    supersedesId: null,
    correctionReason: null,
    answers: {},
    basic: emptyBasic(),
    health: emptyHealth(),
    notes: '',
    signatures: { assessor1: null, elder: null },
  };
}

/** A.2-A.4 as the standard lets them carry over from the last assessment; the items and the health facts are assessed anew. */
export function prefillBasic(form: FormState, last: AssessmentView): FormState {
  const b = last.basic;
  return {
    ...form,
    basic: {
      ...form.basic,
      maritalStatus: b.maritalStatus,
      livingWith: b.livingWith,
      medicalPayment: b.medicalPayment,
      incomeSource: b.incomeSource,
      informant: b.informant,
      diagnoses: b.diagnoses,
      medications: b.medications,
    },
  };
}

/** The form from a record on the server (edit, or the base of a correction). */
export function formFromView(v: AssessmentView): FormState {
  return {
    personId: v.personId,
    referenceDate: v.referenceDate,
    place: v.place,
    reason: v.reason,
    assessor2Id: v.assessor2?.id ?? null,
    supersedesId: v.supersedesId,
    correctionReason: v.correctionReason,
    answers: { ...v.answers },
    basic: v.basic,
    health: v.health,
    notes: v.notes,
    signatures: { assessor1: v.signatures.assessor1, elder: v.signatures.elder },
  };
}

export function toDraft(form: FormState, clientId: string, baseVersion: number | null, instrumentVersion: string): AssessmentDraftInput {
  return {
    clientId,
    baseVersion,
    personId: form.personId ?? 0,
    instrumentVersion,
    referenceDate: form.referenceDate,
    place: form.place,
    reason: form.reason,
    assessor2Id: form.assessor2Id,
    supersedesId: form.supersedesId,
    correctionReason: form.correctionReason,
    answers: form.answers,
    basic: form.basic,
    health: form.health,
    notes: form.notes,
    signatures: form.signatures,
  };
}

export function formFromDraft(d: AssessmentDraftInput): FormState {
  return {
    personId: d.personId || null,
    referenceDate: d.referenceDate,
    place: d.place,
    reason: d.reason,
    assessor2Id: d.assessor2Id ?? null,
    supersedesId: d.supersedesId ?? null,
    correctionReason: d.correctionReason ?? null,
    answers: d.answers,
    basic: { ...emptyBasic(), ...(d.basic as Partial<BasicInfo>) },
    health: { ...emptyHealth(), ...(d.health as Partial<HealthInfo>) },
    notes: d.notes ?? '',
    signatures: { assessor1: d.signatures?.assessor1 ?? null, elder: d.signatures?.elder ?? null },
  };
}

/** What is still missing before the form can be submitted (message keys). */
export function missingForSubmit(
  form: FormState,
  complete: boolean,
): ('af.missing.person' | 'af.missing.items' | 'af.missing.assessor2' | 'af.missing.signature' | 'af.missing.elder' | 'af.correctionReason')[] {
  const m: ReturnType<typeof missingForSubmit> = [];
  if (!form.personId) m.push('af.missing.person');
  if (!complete) m.push('af.missing.items');
  if (!form.assessor2Id) m.push('af.missing.assessor2');
  if (!form.signatures.assessor1) m.push('af.missing.signature');
  if (!form.signatures.elder || !form.signatures.elder.name.trim()) m.push('af.missing.elder');
  if (form.supersedesId && !form.correctionReason?.trim()) m.push('af.correctionReason');
  return m;
}
