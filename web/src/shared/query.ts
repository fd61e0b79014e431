import { QueryClient } from '@tanstack/react-query';

/**
 * The console's one QueryClient (made once per mounted App): `request`/`get` in api.ts stay the
 * fetchers, so CSRF, 401 handling and Accept-Language are theirs. No retries (a 4xx is an answer,
 * and a 401 already ends the session) and no refetch on focus: a page loads when it opens, when its
 * key changes and when a mutation invalidates what it changed.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
  });
}
