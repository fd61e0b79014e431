import { useEffect, useRef, useState } from 'react';

/**
 * Live events from the server (GET /api/events, Server-Sent Events), filtered there by the viewer's
 * scope. `onEvent` is called with each event of `name`. The state says whether the stream is
 * open ('live'), being opened ('connecting'), or not available ('failed': no EventSource in this
 * browser, or the stream would not open or closed for good): the caller then polls instead.
 * The browser reconnects a dropped stream by itself; a stream that fails before it ever opened,
 * or is closed, is 'failed'.
 */
export type LiveState = 'connecting' | 'live' | 'failed';

export function useLiveEvents<T>(name: string, onEvent: (data: T) => void, enabled = true): LiveState {
  const [state, setState] = useState<LiveState>(() => (typeof EventSource === 'undefined' ? 'failed' : 'connecting'));
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/events');
    let opened = false;
    const listener = (e: MessageEvent<string>) => {
      try {
        handler.current(JSON.parse(e.data) as T);
      } catch {
        // an event that is not JSON is not ours: ignored
      }
    };
    source.addEventListener(name, listener as EventListener);
    source.onopen = () => {
      opened = true;
      setState('live');
    };
    source.onerror = () => {
      // before the first open (not logged in, no such route, a proxy refusing streams) or closed
      // for good: fall back; otherwise the browser is reconnecting
      if (!opened || source.readyState === EventSource.CLOSED) {
        source.close();
        setState('failed');
      } else setState('connecting');
    };
    return () => {
      source.removeEventListener(name, listener as EventListener);
      source.close();
    };
  }, [name, enabled]);

  return state;
}
