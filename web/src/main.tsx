import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';

// antd's React 19 patch is loaded with antd (shared/antd-frame.tsx), after the login page (issue 14)
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
