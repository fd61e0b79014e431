// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useLiveEvents, type LiveState } from './use-events';

/** A stand-in for the browser's EventSource: the test opens, fails and feeds it. */
class FakeSource {
  static CLOSED = 2;
  static last: FakeSource | undefined;
  readyState = 0;
  closed = false;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, (e: MessageEvent<string>) => void>();
  constructor(readonly url: string) {
    FakeSource.last = this;
  }
  addEventListener(name: string, l: (e: MessageEvent<string>) => void) {
    this.listeners.set(name, l);
  }
  removeEventListener(name: string) {
    this.listeners.delete(name);
  }
  close() {
    this.closed = true;
    this.readyState = FakeSource.CLOSED;
  }
  emit(name: string, data: unknown) {
    this.listeners.get(name)?.({ data: JSON.stringify(data) } as MessageEvent<string>);
  }
}

describe('useLiveEvents', () => {
  let root: Root;
  let el: HTMLDivElement;
  const seen: unknown[] = [];
  let state: LiveState | undefined;
  function Probe() {
    state = useLiveEvents<unknown>('run', (d) => seen.push(d));
    return null;
  }
  beforeEach(() => {
    vi.stubGlobal('EventSource', FakeSource);
    seen.length = 0;
    el = document.createElement('div');
    root = createRoot(el);
  });
  afterEach(() => {
    act(() => root.unmount());
    vi.unstubAllGlobals();
  });

  it('opens /api/events, hands over the events of its name, and closes the stream when unmounted', async () => {
    await act(async () => root.render(<Probe />));
    const source = FakeSource.last!;
    expect(source.url).toBe('/api/events');
    expect(state).toBe('connecting');
    await act(async () => {
      source.readyState = 1;
      source.onopen?.();
    });
    expect(state).toBe('live');
    act(() => {
      source.emit('run', { id: 3, progress: 40 });
      source.emit('other', { id: 4 });
    });
    expect(seen).toEqual([{ id: 3, progress: 40 }]);
    // a drop after it was open: the browser reconnects, the state says so
    await act(async () => {
      source.onerror?.();
    });
    expect(state).toBe('connecting');
    expect(source.closed).toBe(false);
    act(() => root.unmount());
    expect(source.closed).toBe(true);
    root = createRoot(el);
  });

  it('a stream that fails before it opens is failed (the caller polls), and closed', async () => {
    await act(async () => root.render(<Probe />));
    const source = FakeSource.last!;
    await act(async () => {
      source.onerror?.();
    });
    expect(state).toBe('failed');
    expect(source.closed).toBe(true);
  });

  it('without EventSource in the browser it is failed at once', async () => {
    vi.stubGlobal('EventSource', undefined);
    await act(async () => root.render(<Probe />));
    expect(state).toBe('failed');
  });
});
