import { LogController, type FastifyServerOptions } from 'fastify';
import pino from 'pino';
import { maskText } from './mask.js';

/**
 * The server's log (pino, JSON lines on stderr unless a stream is given). Errors and warnings
 * are always logged — an internal error's line carries the reference its 500 answer gives —
 * while one line per request is opt-in (LOG_REQUESTS=true). Nothing logged carries a full
 * resident ID or phone number: URLs and error messages pass through maskText.
 */
export interface LogOptions {
  /** log every request and its answer (at the configured level) */
  logRequests?: boolean;
  /** where log lines go; default stderr */
  logStream?: NodeJS.WritableStream;
}

interface RequestLike {
  method: string;
  url: string;
  hostname?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

function loggerOptions(level: string, opts: LogOptions): FastifyServerOptions['logger'] {
  return {
    level: opts.logRequests ? level : 'warn',
    stream: opts.logStream ?? pino.destination(2),
    redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]'],
    serializers: {
      req: (req: RequestLike) => ({
        method: req.method,
        url: maskText(req.url),
        hostname: req.hostname,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
      err: (err: Error) => {
        const e = pino.stdSerializers.err(err);
        return { ...e, message: maskText(String(e.message ?? '')), ...(e.stack ? { stack: maskText(e.stack) } : {}) };
      },
    },
  };
}

/** The Fastify options for the log: the logger, and whether requests are logged. */
export function serverLogOptions(level: string, opts: LogOptions): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  return { logger: loggerOptions(level, opts), logController: new LogController({ disableRequestLogging: !opts.logRequests }) };
}
