import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

/** The assessment records: sync from devices, submit, co-sign, review, conflicts, the public check, the profile's section. */
export async function recordRoutes(_api: FastifyInstance, _ctx: AppContext): Promise<void> {}
