// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { theme } from 'antd';
import { afterEach, describe, expect, it } from 'vitest';
import { AntdFrame } from './shared/antd-frame';
import { I18nProvider } from './i18n';

type Listener = (e: { matches: boolean }) => void;

/** A matchMedia whose `(prefers-reduced-motion: reduce)` answer can change while the page is open. */
function reducedMotion(initial: boolean) {
  let matches = initial;
  const listeners = new Set<Listener>();
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    configurable: true,
    value: (query: string) => ({
      get matches() {
        return query.includes('prefers-reduced-motion') ? matches : false;
      },
      media: query,
      onchange: null,
      addListener: (l: Listener) => listeners.add(l),
      removeListener: (l: Listener) => listeners.delete(l),
      addEventListener: (_: string, l: Listener) => listeners.add(l),
      removeEventListener: (_: string, l: Listener) => listeners.delete(l),
      dispatchEvent: () => false,
    }),
  });
  return (next: boolean) => {
    matches = next;
    for (const l of listeners) l({ matches });
  };
}

let motion: boolean | undefined;
function Probe() {
  motion = theme.useToken().token.motion;
  return null;
}

describe('the console and reduced motion', () => {
  let root: Root | undefined;
  afterEach(() => {
    act(() => root?.unmount());
    root = undefined;
  });
  const render = () =>
    act(() => {
      root = createRoot(document.body.appendChild(document.createElement('div')));
      root.render(
        <I18nProvider>
          <AntdFrame>
            <Probe />
          </AntdFrame>
        </I18nProvider>,
      );
    });

  it("turns Ant Design's animations off while the system asks for reduced motion, and on again when it stops", () => {
    const change = reducedMotion(true);
    render();
    expect(motion).toBe(false);
    act(() => change(false));
    expect(motion).toBe(true);
    act(() => change(true));
    expect(motion).toBe(false);
  });

  it('keeps them where the system does not ask', () => {
    reducedMotion(false);
    render();
    expect(motion).toBe(true);
  });
});
