// antd reads window.matchMedia, which jsdom lacks. Node-environment tests have no window.
if (typeof window !== 'undefined' && !window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }),
  });
}

// Console tests render pages outside antd's frame, which is what fetches the modules' strings in the
// console (app.tsx): fetch them before any test renders.
if (typeof window !== 'undefined') {
  const { loadMessages } = await import('./modules');
  await loadMessages();
}

export {};
