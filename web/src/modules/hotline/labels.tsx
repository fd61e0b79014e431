import { Tag, Typography } from 'antd';
import { shanghaiTime } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import type { CallbackOutcome, ContactRelation, TicketKind, TicketOutcome, TicketView } from './types';

export const TICKET_KINDS: readonly TicketKind[] = ['consultation', 'service_request', 'complaint', 'emergency'];
export const TICKET_OUTCOMES: readonly TicketOutcome[] = ['answered', 'referred', 'resolved', 'unresolved', 'unfounded'];
export const CALLBACK_OUTCOMES: readonly CallbackOutcome[] = ['satisfied', 'unsatisfied', 'no_answer', 'other'];
export const RELATIONS: readonly ContactRelation[] = ['child', 'spouse', 'relative', 'neighbour', 'friend', 'other'];
const ALARM_KINDS = ['emergency', 'fall', 'service_request', 'no_movement', 'out_of_bed', 'door_night', 'offline', 'battery_low', 'other'];
const ALARM_STATES = ['raised', 'acknowledged', 'resolved'];
const ALARM_OUTCOMES = ['real', 'false_alarm', 'test'];

/** A code's label in the viewer's language, or the code itself when the console does not know it. */
export function useHotlineWords() {
  const { t } = useI18n();
  const of = (prefix: string, known: readonly string[]) => (code: string | null | undefined) =>
    code === null || code === undefined ? '' : known.includes(code) ? t(`${prefix}.${code}` as MessageKey) : code;
  return {
    kind: of('hl.kind', TICKET_KINDS),
    outcome: of('hl.outcome', TICKET_OUTCOMES),
    cbOutcome: of('hl.cbOutcome', CALLBACK_OUTCOMES),
    relation: of('hl.relation', RELATIONS),
    alarmKind: of('hl.alarmKind', ALARM_KINDS),
    alarmState: of('hl.alarmState', ALARM_STATES),
    alarmOutcome: of('hl.alarmOutcome', ALARM_OUTCOMES),
  };
}

const KIND_COLOURS: Record<string, string> = { consultation: 'blue', service_request: 'green', complaint: 'orange', emergency: 'red' };

export function TicketKindTag({ kind }: { kind: string }) {
  const w = useHotlineWords();
  return <Tag color={KIND_COLOURS[kind]}>{w.kind(kind)}</Tag>;
}

/** A complaint's deadline; overdue in red (open past the deadline). */
export function Deadline({ ticket }: { ticket: Pick<TicketView, 'id' | 'dueAt' | 'overdue' | 'status'> }) {
  const { t } = useI18n();
  if (!ticket.dueAt) return null;
  return (
    <Typography.Text type={ticket.overdue ? 'danger' : 'secondary'} strong={ticket.overdue} style={{ fontSize: 12 }} data-testid={`hl-deadline-${ticket.id}`}>
      {ticket.overdue ? t('hl.overdue', { at: shanghaiTime(ticket.dueAt).slice(0, 16) }) : t('hl.dueAt', { at: shanghaiTime(ticket.dueAt).slice(0, 16) })}
    </Typography.Text>
  );
}

/** A phone as the server takes it: 7–20 digits, with + - and spaces allowed. */
export function phoneProblem(v: string): boolean {
  const s = v.trim();
  if (!s) return false;
  const digits = s.replace(/\D/g, '').length;
  return !/^[0-9+\- ]+$/.test(s) || digits < 7 || digits > 20;
}

/** The form rule of a phone field, in the viewer's words. */
export function usePhoneRule() {
  const { t } = useI18n();
  return { validator: (_: unknown, v: string | undefined) => (v && phoneProblem(v) ? Promise.reject(new Error(t('hl.call.phoneFormat'))) : Promise.resolve()) };
}
