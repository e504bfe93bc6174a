import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { portalQueryClient } from './api.ts';
import { PortalApp } from './portal-app.tsx';
import { SignupPopup } from './signup-popup.tsx';
import '../styles.css';
import './portal.css';

// `/embed/portal/:partner_id` is the portal; `/embed/signup` the Embedded Signup popup it opens.
const partnerId = /^\/embed\/portal\/([^/]+)$/.exec(location.pathname)?.[1];

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={portalQueryClient}>
      {partnerId ? (
        <PortalApp partnerId={decodeURIComponent(partnerId)} hash={location.hash} />
      ) : (
        <SignupPopup />
      )}
    </QueryClientProvider>
  </StrictMode>,
);
