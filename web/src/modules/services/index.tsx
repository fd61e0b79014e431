import { Navigate } from 'react-router-dom';
import { lazyPage } from '../shell/lazy-page';
import { defineModule } from '../types';

// each page its own chunk, fetched when first opened
const OrdersPage = lazyPage(() => import('./orders'), 'OrdersPage');
const OrderPage = lazyPage(() => import('./order'), 'OrderPage');
const AnomaliesPage = lazyPage(() => import('./anomalies'), 'AnomaliesPage');
const SettlementsPage = lazyPage(() => import('./settlements'), 'SettlementsPage');
const SettlementPage = lazyPage(() => import('./settlement'), 'SettlementPage');
const ProvidersPage = lazyPage(() => import('./providers'), 'ProvidersPage');
const ProviderPage = lazyPage(() => import('./provider'), 'ProviderPage');
const ItemsPage = lazyPage(() => import('./items'), 'ItemsPage');
const CoveragePage = lazyPage(() => import('./coverage'), 'CoveragePage');

/**
 * 居家服务 (issue 17), the console of officers and of a provider's office: orders with the elder's
 * entitlement drawn down, an order's visit verification (EVV) and its exceptions explained by the
 * provider and reviewed by an officer, the monthly settlement per provider with feedback calls,
 * providers with caregivers, certificates and clients, service items and prices, coverage. The
 * caregiver's phone is the services-phone module's; beds and meals are meals-beds'.
 */
export const services = defineModule({
  id: 'services',
  messages: () => import('./messages'),
  routes: [
    { path: 'services', action: 'services.read', element: <OrdersPage /> },
    // the address an order (/services/orders/:id) extends leads to the list
    { path: 'services/orders', action: 'services.read', element: <Navigate to="/services" replace /> },
    { path: 'services/orders/:id', action: 'services.read', element: <OrderPage /> },
    { path: 'services/anomalies', action: 'services.read', element: <AnomaliesPage /> },
    { path: 'services/settlements', action: 'services.read', element: <SettlementsPage /> },
    { path: 'services/settlements/:providerId/:period', action: 'services.read', element: <SettlementPage /> },
    { path: 'services/providers', action: 'services.read', element: <ProvidersPage /> },
    { path: 'services/providers/:id', action: 'services.read', element: <ProviderPage /> },
    { path: 'services/items', action: 'services.manage', element: <ItemsPage /> },
    { path: 'services/coverage', action: 'services.read', element: <CoveragePage /> },
  ],
  nav: [
    { path: '/services', label: 'menu.svcOrders', action: 'services.read' },
    { path: '/services/anomalies', label: 'menu.svcAnomalies', action: 'services.read' },
    { path: '/services/settlements', label: 'menu.svcSettlements', action: 'services.read' },
    { path: '/services/providers', label: 'menu.svcProviders', action: 'services.read' },
    { path: '/services/items', label: 'menu.svcItems', action: 'services.manage' },
    // a provider's office counts its own clients, not the county's coverage
    { path: '/services/coverage', label: 'menu.svcCoverage', action: 'services.read', hiddenFor: ['provider'] },
  ],
});
