import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AppContext } from './context.js';
import { processBus, snapshot, sseFrame, subscribe, type LiveEvent } from './events.js';
import { viewer } from './http.js';

/**
 * GET /api/events: the live channel (Server-Sent Events), for any logged-in viewer, each event
 * filtered by the viewer's scope (events.ts). The stream opens with the current state (a `run`
 * event per running run the viewer may see), then carries events as they happen, with a comment
 * line every 25 s to keep proxies from closing it. `?snapshot=true` answers the current state
 * and ends (for a client that cannot hold a stream open). A stream ends after `streamLifetime.ms`:
 * the browser reconnects by itself, through the access check again, so a session that has ended
 * (logout, password reset, expiry) stops receiving within that time.
 *
 * Written on the raw response (reply.hijack()) rather than through an SSE plugin: no dependency
 * (@fastify/sse is not installed, and its default import fails tsc under NodeNext), and a
 * hijacked reply bypasses @fastify/compress, which would buffer the stream.
 */
export const eventStreamBody = z
  .string()
  .describe(
    [
      'text/event-stream. Events:',
      '`run`: {id, period, status (running|finished|failed), progress 0-100, personsDone, personsTotal}',
      '(personsDone and personsTotal are null for viewers whose region is not the whole jurisdiction);',
      'sent for each running run at the start of the stream, after each committed batch and at the end.',
      '`import`: {id, source, status (applying|applied|failed), progress 0-100, rowsDone, rowsTotal}, to viewers who may import',
      "and whose region holds the import's; sent for each import being applied at the start of the stream, after each commit and at the end.",
      'On PostgreSQL these include the work of other processes on the same database (a run started from the command line).',
    ].join(' '),
  );

/** How long one stream stays open (adjustable by tests). */
export const streamLifetime = { ms: 5 * 60_000 };

const eventsQuery = z.object({ snapshot: z.enum(['true', 'false']).optional() });

export async function eventRoutes(r: FastifyInstance, ctx: AppContext): Promise<void> {
  const open = new Set<ServerResponse>();
  // On PostgreSQL the events of other processes (a run started from the command line) reach
  // these streams too: one LISTEN connection for the server (events.ts, events-pg.ts).
  const listener = processBus.listen(ctx);
  if (listener) {
    let timer: NodeJS.Timeout | undefined;
    // start serving even if the database is slow to answer: the listener keeps trying
    await Promise.race([
      listener.ready,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 5000);
      }),
    ]);
    clearTimeout(timer);
  }
  // a closing server ends its streams BEFORE the HTTP server's close (preClose): Fastify closes the
  // server first and runs onClose hooks after it, and the server's close waits for every open
  // connection, so a stream ended only in onClose held a SIGTERMed server open until it expired
  // (shutdown.test.ts)
  r.addHook('preClose', async () => {
    for (const raw of open) raw.end();
  });
  // then its LISTEN connection
  r.addHook('onClose', async () => {
    for (const raw of open) raw.end();
    await listener?.close();
  });

  r.get(
    '/events',
    {
      config: { access: 'authenticated' },
      schema: {
        querystring: eventsQuery,
        response: { 200: { description: 'the live event stream', content: { 'text/event-stream': { schema: eventStreamBody } } } },
      },
    },
    async (req, reply) => {
      const scope = viewer(req);
      const once = (req.query as z.infer<typeof eventsQuery>).snapshot === 'true';
      const first = await snapshot(ctx, scope);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        ...(once ? {} : { connection: 'keep-alive', 'x-accel-buffering': 'no' }),
      });
      const send = (e: LiveEvent) => {
        const data = e.for(scope);
        if (data !== null && data !== undefined) raw.write(sseFrame(e.name, data));
      };
      // the browser waits this long before reconnecting after a drop
      raw.write('retry: 3000\n\n');
      first.forEach(send);
      if (once) {
        raw.end();
        return;
      }
      open.add(raw);
      const off = subscribe(send);
      const ping = setInterval(() => raw.write(': ping\n\n'), 25_000);
      const expire = setTimeout(() => raw.end(), streamLifetime.ms);
      const close = () => {
        off();
        clearInterval(ping);
        clearTimeout(expire);
        open.delete(raw);
      };
      req.raw.once('close', close);
      raw.once('close', close);
    },
  );
}
