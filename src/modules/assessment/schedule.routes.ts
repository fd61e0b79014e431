import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** The schedule: due lists, assignments, requests, coverage and quality draws. */
export async function scheduleRoutes(_api: FastifyInstance, _ctx: AppContext): Promise<void> {}
