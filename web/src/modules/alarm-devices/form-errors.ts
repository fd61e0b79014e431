import type { FormInstance } from 'antd';
import { ApiError } from '../../shared/api';

/**
 * Puts the server's refusal at the field it is about, in the server's own words: a VALIDATION
 * answer lists `{ field: 'body.serial', message }` per problem; other codes name their field by
 * the caller's map (SERIAL_TAKEN → serial). Answers the message left for the form's banner, or
 * null when every problem found its field.
 */
export function showServerError(form: FormInstance, e: unknown, fields: readonly string[], fieldsByCode: Record<string, string> = {}): string | null {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  const byCode = fieldsByCode[e.code];
  if (byCode) {
    form.setFields([{ name: byCode, errors: [e.message] }]);
    return null;
  }
  if (e.code === 'VALIDATION' && Array.isArray(e.details)) {
    const left: string[] = [];
    for (const d of e.details as { field?: unknown; message?: unknown }[]) {
      const field = typeof d.field === 'string' ? d.field.replace(/^body\./, '').split('.')[0] : undefined;
      const message = typeof d.message === 'string' ? d.message : e.message;
      if (field && fields.includes(field)) form.setFields([{ name: field, errors: [message] }]);
      else left.push(message);
    }
    return left.length ? left.join('；') : null;
  }
  return e.message;
}
