import { z } from 'zod';

export const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) });
