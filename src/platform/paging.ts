import { z } from 'zod';

/**
 * Shapes every endpoint shares: paging inputs, the id parameter, the error answer. Pure zod (no
 * node module), so the console imports the types inferred here as well as the server.
 */

/** Page and page size as every list endpoint takes them. */
export const paging = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
export const idParam = z.object({ id: z.coerce.number().int().positive() });

/** Every 4xx/5xx answer: `{ error: { code, message, details } }`, the message in the caller's language. */
export const errorReply = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
});
export type ErrorReply = z.infer<typeof errorReply>;

/** The body of a POST that takes no input: the console sends `{}`, a client may send nothing. */
export const emptyBody = z.object({}).nullish();

/** The answer of a change that has nothing else to say. */
export const okReply = z.object({ ok: z.boolean() });
export type OkReply = z.infer<typeof okReply>;

/**
 * A download's body (XLSX, CSV): the route names its content type; the file is sent as it is,
 * never through a JSON serializer.
 */
export const fileBody = z.custom<Uint8Array | string>((v) => v instanceof Uint8Array || typeof v === 'string').meta({ type: 'string', format: 'binary' });
export const fileReply = (contentType: string, description: string) => ({ 200: { description, content: { [contentType]: { schema: fileBody } } } });

/** A page of a list: its items and the total count (page and size when the list is paged). */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int().optional(),
    pageSize: z.number().int().optional(),
  });
export interface Page<T> {
  items: T[];
  total: number;
  page?: number;
  pageSize?: number;
}
