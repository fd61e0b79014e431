import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from './app.js';
import { demoAccounts, DEMO_PASSWORD } from './modules/demo/seed.js';
import { makeResidentId } from './modules/register/resident-id.js';
import * as register from './modules/register/register.service.js';
import { scopeOf } from './platform/auth.js';
import { AppError } from './platform/errors.js';
import type { Access } from './platform/http.js';
import { can, roles, type Role } from './platform/policy.js';
import type { Scope } from './platform/scope.js';
import { call, errorCode, loginAs, type CallOptions, type Session } from './testing/http.js';
import { createSeededContext, dialects, importText, type TestContext } from './testing/harness.js';
import { routesOf } from './testing/routes.js';

/**
 * The authorisation matrix: every route of the app × every demo role and the anonymous caller,
 * expected outcomes derived from the route's declared access and the policy table; then region
 * scope (through the API and below it, in the services), audit of reads, and masking.
 */

// Every route the app registers is recorded through an onRoute hook added to each Fastify
// instance as it is created, so a route added later without a line in ROUTES fails this file.
vi.mock('fastify', async (importOriginal) => (await import('./testing/routes.js')).trackRoutes(importOriginal as () => Promise<typeof import('fastify')>));

/** Every API route with the access it must declare. Add a line here for every new route. */
const ROUTES: ReadonlyArray<{ method: 'GET' | 'POST' | 'PUT' | 'PATCH'; url: string; access: Access }> = [
  { method: 'GET', url: '/api/health', access: 'public' },
  { method: 'POST', url: '/api/auth/login', access: 'public' },
  { method: 'POST', url: '/api/auth/logout', access: 'authenticated' },
  { method: 'GET', url: '/api/auth/me', access: 'authenticated' },
  { method: 'POST', url: '/api/auth/password', access: 'authenticated' },
  { method: 'GET', url: '/api/users', access: 'users.read' },
  { method: 'POST', url: '/api/users/:id/password', access: 'users.manage' },
  { method: 'POST', url: '/api/users', access: 'users.manage' },
  { method: 'PATCH', url: '/api/users/:id', access: 'users.manage' },
  { method: 'POST', url: '/api/users/:id/unlock', access: 'users.manage' },
  { method: 'POST', url: '/api/users/:id/disable', access: 'users.manage' },
  { method: 'POST', url: '/api/users/:id/enable', access: 'users.manage' },
  { method: 'GET', url: '/api/regions', access: 'regions.read' },
  // issue 20 (region shapes)
  { method: 'GET', url: '/api/regions/shapes', access: 'regions.read' },
  { method: 'PUT', url: '/api/regions/shapes', access: 'regions.shapes' },
  // end region shapes
  { method: 'GET', url: '/api/persons', access: 'register.read' },
  { method: 'GET', url: '/api/persons/export', access: 'register.read' },
  { method: 'GET', url: '/api/persons/:id', access: 'register.read' },
  { method: 'POST', url: '/api/persons/:id/reveal', access: 'register.reveal' },
  { method: 'GET', url: '/api/conflicts', access: 'register.read' },
  { method: 'GET', url: '/api/conflicts/export', access: 'register.read' },
  { method: 'POST', url: '/api/conflicts/:id/resolve', access: 'register.resolve_conflict' },
  { method: 'GET', url: '/api/conflicts/summary', access: 'register.read' },
  { method: 'POST', url: '/api/conflicts/resolve-all', access: 'register.resolve_conflict' },
  { method: 'GET', url: '/api/sources', access: 'register.import' },
  { method: 'GET', url: '/api/sources/:key/template.csv', access: 'register.import' },
  { method: 'GET', url: '/api/sources/:key/template.xlsx', access: 'register.import' },
  { method: 'POST', url: '/api/imports', access: 'register.import' },
  { method: 'GET', url: '/api/imports', access: 'register.import' },
  { method: 'GET', url: '/api/imports/:id', access: 'register.import' },
  { method: 'GET', url: '/api/imports/:id/errors', access: 'register.import' },
  { method: 'GET', url: '/api/imports/:id/errors.csv', access: 'register.import' },
  { method: 'GET', url: '/api/audit', access: 'audit.read' },
  { method: 'GET', url: '/api/audit/export', access: 'audit.read' },
  { method: 'POST', url: '/api/audit/verify', access: 'audit.read' },
  { method: 'GET', url: '/api/catalogue', access: 'catalogue.read' },
  { method: 'GET', url: '/api/catalogues/:jurisdiction', access: 'catalogue.read' },
  { method: 'POST', url: '/api/catalogues/:jurisdiction/parameters/:name', access: 'catalogue.set_parameter' },
  { method: 'GET', url: '/api/runs', access: 'entitlements.read' },
  { method: 'POST', url: '/api/runs', access: 'entitlements.run' },
  // issue 21: the jurisdictions a viewer works with that run a catalogue (runs and catalogue pickers)
  { method: 'GET', url: '/api/jurisdictions', access: 'entitlements.read' },
  { method: 'GET', url: '/api/settings', access: 'settings.manage' },
  { method: 'PUT', url: '/api/settings/:name', access: 'settings.manage' },
  { method: 'GET', url: '/api/workbench', access: 'authenticated' },
  { method: 'GET', url: '/api/runs/impact', access: 'entitlements.run' },
  { method: 'POST', url: '/api/runs/parameter-impact', access: 'catalogue.set_parameter' },
  { method: 'GET', url: '/api/runs/:id', access: 'entitlements.read' },
  { method: 'GET', url: '/api/events', access: 'authenticated' },
  { method: 'GET', url: '/api/runs/:id/changes', access: 'entitlements.read' },
  { method: 'GET', url: '/api/runs/:id/changes/export', access: 'entitlements.read' },
  { method: 'POST', url: '/api/changes/:id/handled', access: 'entitlements.handle_change' },
  { method: 'GET', url: '/api/runs/:id/duties', access: 'entitlements.read' },
  { method: 'GET', url: '/api/runs/:id/rosters/:itemId', access: 'entitlements.read' },
  { method: 'GET', url: '/api/runs/:id/rosters/:itemId/export', access: 'entitlements.read' },
  { method: 'GET', url: '/api/persons/:id/entitlements', access: 'entitlements.read' },
  { method: 'GET', url: '/api/persons/:id/payments', access: 'entitlements.read' },
  { method: 'GET', url: '/api/persons/:id/payments/export', access: 'entitlements.read' },
  { method: 'GET', url: '/api/persons/:id/pauses', access: 'entitlements.read' },
  { method: 'POST', url: '/api/persons/:id/pauses', access: 'rolls.pause' },
  { method: 'POST', url: '/api/pauses/:id/lift', access: 'rolls.pause' },
  { method: 'GET', url: '/api/paused', access: 'rolls.read' },
  { method: 'GET', url: '/api/paused/export', access: 'rolls.read' },
  { method: 'GET', url: '/api/rolls', access: 'rolls.read' },
  { method: 'GET', url: '/api/rolls/:id', access: 'rolls.read' },
  { method: 'POST', url: '/api/rolls/:id/lines/:personId', access: 'rolls.prepare' },
  { method: 'POST', url: '/api/rolls/:id/submit', access: 'rolls.prepare' },
  { method: 'POST', url: '/api/rolls/:id/approve', access: 'rolls.approve' },
  { method: 'POST', url: '/api/rolls/:id/return', access: 'rolls.approve' },
  { method: 'GET', url: '/api/rolls/:id/export', access: 'rolls.read' },
  { method: 'GET', url: '/api/payments', access: 'payments.read' },
  { method: 'GET', url: '/api/payments/:rollId', access: 'payments.read' },
  { method: 'GET', url: '/api/payments/:rollId/disbursement', access: 'payments.read' },
  { method: 'POST', url: '/api/payments/:rollId/returns', access: 'payments.reconcile' },
  { method: 'POST', url: '/api/public/self-check', access: 'public' },
  { method: 'GET', url: '/api/public/catalogue', access: 'public' },
  // issue 21: the counties the public pages ask the place from
  { method: 'GET', url: '/api/public/places', access: 'public' },
  // the API document and its browsable page (@fastify/swagger-ui's routes)
  { method: 'GET', url: '/api/openapi.json', access: 'public' },
  { method: 'GET', url: '/api/docs', access: 'public' },
  { method: 'GET', url: '/api/docs/json', access: 'public' },
  { method: 'GET', url: '/api/docs/yaml', access: 'public' },
  { method: 'GET', url: '/api/docs/static/index.html', access: 'public' },
  { method: 'GET', url: '/api/docs/static/swagger-initializer.js', access: 'public' },
  { method: 'GET', url: '/api/docs/static/*', access: 'public' },
  { method: 'GET', url: '/api/facts', access: 'public' },
  // issue 15: assessment records
  { method: 'POST', url: '/api/assessments/sync', access: 'assessments.write' },
  { method: 'GET', url: '/api/assessments', access: 'assessments.read' },
  { method: 'GET', url: '/api/assessments/:id', access: 'assessments.read' },
  { method: 'POST', url: '/api/assessments/:id/submit', access: 'assessments.write' },
  { method: 'POST', url: '/api/assessments/:id/cosign', access: 'assessments.write' },
  { method: 'POST', url: '/api/assessments/:id/review', access: 'assessments.review' },
  { method: 'GET', url: '/api/assessments/:id/conflicts', access: 'assessments.read' },
  { method: 'POST', url: '/api/assessment-conflicts/:id/resolve', access: 'assessments.write' },
  { method: 'GET', url: '/api/assessors', access: 'assessments.read' },
  { method: 'GET', url: '/api/persons/:id/capability', access: 'assessments.read' },
  { method: 'GET', url: '/api/public/assessments/verify', access: 'public' },
  // issue 15: assessment schedule
  { method: 'GET', url: '/api/assessments/due', access: 'assessments.read' },
  { method: 'GET', url: '/api/assessments/due/export', access: 'assessments.read' },
  { method: 'POST', url: '/api/assessments/assignments', access: 'assessments.schedule' },
  { method: 'POST', url: '/api/assessments/assignments/:id/end', access: 'assessments.schedule' },
  { method: 'GET', url: '/api/persons/:id/assessment-assignments', access: 'assessments.read' },
  { method: 'POST', url: '/api/persons/:id/assessment-requests', access: 'assessments.request' },
  { method: 'GET', url: '/api/persons/:id/assessment-requests', access: 'assessments.read' },
  { method: 'GET', url: '/api/assessments/coverage', access: 'assessments.read' },
  { method: 'POST', url: '/api/assessments/quality-draws', access: 'assessments.schedule' },
  { method: 'GET', url: '/api/assessments/quality-draws', access: 'assessments.read' },
  { method: 'GET', url: '/api/assessments/quality-draws/:id', access: 'assessments.read' },
  { method: 'POST', url: '/api/assessments/quality-samples/:id/assign', access: 'assessments.schedule' },
  // issue 16 (care-events)
  { method: 'GET', url: '/api/care-events', access: 'care_events.read' },
  { method: 'GET', url: '/api/care-events/:id', access: 'care_events.read' },
  { method: 'GET', url: '/api/care-events/:id/photos/:photoId', access: 'care_events.read' },
  { method: 'POST', url: '/api/care-events/:id/confirm', access: 'care_events.confirm' },
  { method: 'POST', url: '/api/care-events/:id/void', access: 'care_events.void' },
  // end care-events
  // issue 16 (visits-plans)
  { method: 'GET', url: '/api/visits/plans', access: 'visits.read' },
  { method: 'POST', url: '/api/visits/plans/refresh', access: 'visits.refresh' },
  { method: 'GET', url: '/api/visits/members', access: 'visits.read' },
  { method: 'GET', url: '/api/persons/:id/visit-plan', access: 'visits.read' },
  { method: 'GET', url: '/api/visits/rate', access: 'visits.read' },
  // end visits-plans
  // issue 16 (visits-work)
  { method: 'GET', url: '/api/visits/workers', access: 'visits.read' },
  { method: 'GET', url: '/api/visits/assignments', access: 'visits.read' },
  { method: 'POST', url: '/api/visits/assignments', access: 'visits.assign' },
  { method: 'POST', url: '/api/visits/assignments/village', access: 'visits.assign' },
  { method: 'GET', url: '/api/persons/:id/visit-assignments', access: 'visits.read' },
  { method: 'GET', url: '/api/visits/overdue', access: 'visits.read' },
  { method: 'GET', url: '/api/visits/overdue/summary', access: 'visits.read' },
  { method: 'GET', url: '/api/visits/escalations', access: 'visits.read' },
  { method: 'POST', url: '/api/visits/escalations/:id/acknowledge', access: 'visits.followup_handle' },
  { method: 'POST', url: '/api/visits/escalations/:id/close', access: 'visits.followup_handle' },
  { method: 'GET', url: '/api/visits/followups', access: 'visits.read' },
  { method: 'POST', url: '/api/visits/followups', access: 'visits.followup_raise' },
  { method: 'POST', url: '/api/visits/followups/:id/take', access: 'visits.followup_handle' },
  { method: 'POST', url: '/api/visits/followups/:id/close', access: 'visits.followup_handle' },
  // end visits-work
  // issue 16 (visits-record)
  { method: 'GET', url: '/api/visits/today', access: 'visits.record' },
  { method: 'GET', url: '/api/visits/findings', access: 'visits.read' },
  { method: 'POST', url: '/api/visits/record', access: 'visits.record' },
  { method: 'GET', url: '/api/persons/:id/visits', access: 'visits.read' },
  // end visits-record
  // issue 16 (timebank)
  { method: 'GET', url: '/api/timebank/accounts', access: 'timebank.read' },
  { method: 'POST', url: '/api/timebank/accounts', access: 'timebank.manage' },
  { method: 'GET', url: '/api/timebank/accounts/:id', access: 'timebank.read' },
  { method: 'GET', url: '/api/timebank/me', access: 'timebank.read' },
  { method: 'GET', url: '/api/timebank/pending', access: 'timebank.read' },
  { method: 'POST', url: '/api/timebank/deposits', access: 'timebank.deposit' },
  { method: 'POST', url: '/api/timebank/redemptions', access: 'timebank.redeem' },
  { method: 'POST', url: '/api/timebank/transfers', access: 'timebank.transfer' },
  { method: 'POST', url: '/api/timebank/entries/:id/reverse', access: 'timebank.manage' },
  { method: 'GET', url: '/api/timebank/rewards', access: 'timebank.read' },
  { method: 'GET', url: '/api/timebank/checks', access: 'timebank.read' },
  { method: 'POST', url: '/api/timebank/checks', access: 'timebank.manage' },
  // end timebank
  // issue 17 (services-providers)
  { method: 'GET', url: '/api/services/providers', access: 'services.read' },
  { method: 'POST', url: '/api/services/providers', access: 'services.manage' },
  { method: 'PATCH', url: '/api/services/providers/:id', access: 'services.manage' },
  { method: 'GET', url: '/api/services/caregivers', access: 'services.read' },
  { method: 'POST', url: '/api/services/caregivers', access: 'services.staff' },
  { method: 'PATCH', url: '/api/services/caregivers/:id', access: 'services.staff' },
  { method: 'POST', url: '/api/services/caregivers/:id/certificates', access: 'services.staff' },
  { method: 'GET', url: '/api/services/items', access: 'services.read' },
  { method: 'POST', url: '/api/services/items', access: 'services.manage' },
  { method: 'PATCH', url: '/api/services/items/:id', access: 'services.manage' },
  { method: 'GET', url: '/api/services/clients', access: 'services.read' },
  { method: 'POST', url: '/api/services/clients', access: 'services.staff' },
  { method: 'POST', url: '/api/services/clients/:id/end', access: 'services.staff' },
  // end services-providers
  // issue 17 (services-orders)
  { method: 'GET', url: '/api/services/entitlements/:personId', access: 'services.read' },
  { method: 'GET', url: '/api/services/orders', access: 'services.read' },
  { method: 'POST', url: '/api/services/orders', access: 'services.order' },
  { method: 'GET', url: '/api/services/orders/:id', access: 'services.read' },
  { method: 'POST', url: '/api/services/orders/:id/assign', access: 'services.order' },
  { method: 'POST', url: '/api/services/orders/:id/cancel', access: 'services.order' },
  { method: 'POST', url: '/api/services/orders/:id/rate', access: 'services.rate' },
  { method: 'POST', url: '/api/services/orders/:id/correct', access: 'services.review' },
  { method: 'GET', url: '/api/services/followups', access: 'services.order' },
  // end services-orders
  // issue 17 (services-evv)
  { method: 'GET', url: '/api/services/my/orders', access: 'services.visit' },
  { method: 'GET', url: '/api/services/my/orders/:id', access: 'services.visit' },
  { method: 'POST', url: '/api/services/orders/:id/check-in', access: 'services.visit' },
  { method: 'POST', url: '/api/services/orders/:id/check-out', access: 'services.visit' },
  { method: 'POST', url: '/api/services/orders/:id/photo', access: 'services.visit' },
  { method: 'GET', url: '/api/services/orders/:id/photos/:photoId', access: 'services.read' },
  // end services-evv
  // issue 17 (services-settlement)
  { method: 'GET', url: '/api/services/settlements', access: 'services.read' },
  { method: 'GET', url: '/api/services/settlements/:providerId/:period', access: 'services.read' },
  { method: 'GET', url: '/api/services/settlements/:providerId/:period/statement.xlsx', access: 'services.read' },
  { method: 'POST', url: '/api/services/settlements/:providerId/:period/close', access: 'services.settle' },
  { method: 'POST', url: '/api/services/settlements/:providerId/:period/draw', access: 'services.feedback' },
  { method: 'GET', url: '/api/services/feedback', access: 'services.feedback' },
  { method: 'POST', url: '/api/services/feedback/:id', access: 'services.feedback' },
  { method: 'GET', url: '/api/services/coverage', access: 'services.read' },
  // end services-settlement
  // issue 17 (services-beds-meals)
  { method: 'GET', url: '/api/services/beds', access: 'services.read' },
  { method: 'POST', url: '/api/services/beds', access: 'services.beds' },
  { method: 'PATCH', url: '/api/services/beds/:id', access: 'services.beds' },
  { method: 'POST', url: '/api/services/beds/:id/close', access: 'services.beds' },
  { method: 'GET', url: '/api/services/meal-points', access: 'services.read' },
  { method: 'POST', url: '/api/services/meal-points', access: 'services.manage' },
  { method: 'PATCH', url: '/api/services/meal-points/:id', access: 'services.manage' },
  { method: 'POST', url: '/api/services/meals/quote', access: 'services.meals' },
  { method: 'POST', url: '/api/services/meals', access: 'services.meals' },
  { method: 'GET', url: '/api/services/meals', access: 'services.read' },
  { method: 'GET', url: '/api/services/meals/daily', access: 'services.read' },
  { method: 'GET', url: '/api/services/meals/coverage', access: 'services.read' },
  // end services-beds-meals
  // issue 17 (services-anomalies)
  { method: 'GET', url: '/api/services/anomalies', access: 'services.read' },
  { method: 'GET', url: '/api/services/anomalies/codes', access: 'services.read' },
  { method: 'POST', url: '/api/services/anomalies/:id/resolve', access: 'services.resolve' },
  { method: 'POST', url: '/api/services/anomalies/:id/review', access: 'services.review' },
  // end services-anomalies
  // issue 18 (alarms-ingest)
  // authenticated by the vendor's signature, not a session: unsigned, it answers 400 INGEST_HEADERS_MISSING
  { method: 'POST', url: '/api/alarms/ingest', access: 'public' },
  { method: 'GET', url: '/api/alarms/devices', access: 'alarms.read' },
  { method: 'POST', url: '/api/alarms/devices', access: 'alarms.devices' },
  { method: 'GET', url: '/api/alarms/devices/:id', access: 'alarms.read' },
  { method: 'POST', url: '/api/alarms/devices/:id/retire', access: 'alarms.devices' },
  { method: 'GET', url: '/api/alarms/vendors', access: 'alarms.vendors' },
  { method: 'POST', url: '/api/alarms/vendors', access: 'alarms.vendors' },
  { method: 'POST', url: '/api/alarms/vendors/:id/rotate', access: 'alarms.vendors' },
  { method: 'POST', url: '/api/alarms/vendors/:id/disable', access: 'alarms.vendors' },
  { method: 'GET', url: '/api/alarms/rejects', access: 'alarms.supervise' },
  // end alarms-ingest
  // issue 18 (alarms-mqtt)
  // end alarms-mqtt
  // issue 18 (alarms-rules)
  { method: 'GET', url: '/api/alarms/alarms', access: 'alarms.read' },
  { method: 'GET', url: '/api/alarms/alarms/:id', access: 'alarms.read' },
  { method: 'POST', url: '/api/alarms/alarms/:id/ack', access: 'alarms.handle' },
  { method: 'POST', url: '/api/alarms/alarms/:id/actions', access: 'alarms.handle' },
  { method: 'POST', url: '/api/alarms/alarms/:id/notes', access: 'alarms.handle' },
  { method: 'POST', url: '/api/alarms/alarms/:id/resolve', access: 'alarms.handle' },
  { method: 'POST', url: '/api/alarms/alarms/:id/assign', access: 'alarms.supervise' },
  { method: 'GET', url: '/api/alarms/rules', access: 'alarms.read' },
  { method: 'GET', url: '/api/alarms/persons/:id/overrides', access: 'alarms.read' },
  { method: 'PUT', url: '/api/alarms/persons/:id/overrides/:ruleKey', access: 'alarms.devices' },
  { method: 'POST', url: '/api/alarms/persons/:id/overrides/:ruleKey/clear', access: 'alarms.devices' },
  { method: 'GET', url: '/api/alarms/shift', access: 'alarms.supervise' },
  // end alarms-rules
  // issue 18 (alarms-hotline)
  { method: 'GET', url: '/api/alarms/persons/:id/summary', access: 'hotline.read' },
  { method: 'GET', url: '/api/alarms/persons/:id/contacts', access: 'hotline.contacts' },
  { method: 'POST', url: '/api/alarms/persons/:id/contacts', access: 'hotline.contacts' },
  { method: 'PATCH', url: '/api/alarms/contacts/:id', access: 'hotline.contacts' },
  { method: 'POST', url: '/api/alarms/contacts/:id/reveal', access: 'hotline.contacts' },
  { method: 'POST', url: '/api/alarms/persons/:id/discharge', access: 'hotline.handle' },
  { method: 'GET', url: '/api/alarms/hotline/tickets', access: 'hotline.read' },
  { method: 'POST', url: '/api/alarms/hotline/tickets', access: 'hotline.handle' },
  { method: 'GET', url: '/api/alarms/hotline/tickets/:id', access: 'hotline.read' },
  { method: 'POST', url: '/api/alarms/hotline/tickets/:id/close', access: 'hotline.handle' },
  { method: 'POST', url: '/api/alarms/hotline/tickets/:id/order', access: 'hotline.handle' },
  { method: 'GET', url: '/api/alarms/hotline/callbacks', access: 'hotline.read' },
  { method: 'POST', url: '/api/alarms/hotline/callbacks/:id/done', access: 'hotline.handle' },
  { method: 'GET', url: '/api/alarms/hotline/knowledge', access: 'hotline.read' },
  { method: 'POST', url: '/api/alarms/hotline/knowledge', access: 'hotline.knowledge' },
  { method: 'PATCH', url: '/api/alarms/hotline/knowledge/:id', access: 'hotline.knowledge' },
  // end alarms-hotline
  // issue 18 (alarms-reports)
  { method: 'GET', url: '/api/alarms/reports', access: 'alarms.reports' },
  { method: 'GET', url: '/api/alarms/reports/export.xlsx', access: 'alarms.reports' },
  { method: 'GET', url: '/api/alarms/reports/quality', access: 'alarms.reports' },
  // end alarms-reports
  // issue 19 (facilities)
  { method: 'GET', url: '/api/facilities/public/map', access: 'public' },
  { method: 'GET', url: '/api/facilities', access: 'facilities.read' },
  { method: 'GET', url: '/api/facilities/failing', access: 'facilities.read' },
  { method: 'POST', url: '/api/facilities', access: 'facilities.manage' },
  { method: 'GET', url: '/api/facilities/:id', access: 'facilities.read' },
  { method: 'POST', url: '/api/facilities/:id', access: 'facilities.manage' },
  { method: 'GET', url: '/api/facilities/:id/checks', access: 'facilities.read' },
  { method: 'POST', url: '/api/facilities/:id/beds', access: 'facilities.operate' },
  { method: 'POST', url: '/api/facilities/:id/beds/:sub/retire', access: 'facilities.operate' },
  { method: 'GET', url: '/api/facilities/:id/staff', access: 'facilities.read' },
  { method: 'POST', url: '/api/facilities/:id/staff', access: 'facilities.operate' },
  { method: 'POST', url: '/api/facilities/:id/staff/:sub', access: 'facilities.operate' },
  { method: 'GET', url: '/api/facilities/:id/residents', access: 'facilities.residents' },
  { method: 'POST', url: '/api/facilities/:id/residents', access: 'facilities.residents' },
  { method: 'POST', url: '/api/facilities/:id/residents/:sub/transfer', access: 'facilities.residents' },
  { method: 'POST', url: '/api/facilities/:id/residents/:sub/discharge', access: 'facilities.residents' },
  { method: 'POST', url: '/api/facilities/:id/residents/:sub/death', access: 'facilities.residents' },
  // end facilities
  // issue 19 (admission)
  { method: 'GET', url: '/api/admission/facilities', access: 'admission.read' },
  { method: 'GET', url: '/api/admission/queue', access: 'admission.read' },
  { method: 'POST', url: '/api/admission/applications', access: 'admission.apply' },
  { method: 'GET', url: '/api/admission/applications/:id', access: 'admission.read' },
  { method: 'POST', url: '/api/admission/applications/:id/withdraw', access: 'admission.apply' },
  { method: 'POST', url: '/api/admission/applications/:id/offer', access: 'admission.offer' },
  { method: 'POST', url: '/api/admission/applications/:id/accept', access: 'admission.offer' },
  { method: 'POST', url: '/api/admission/applications/:id/decline', access: 'admission.offer' },
  { method: 'POST', url: '/api/admission/refresh', access: 'admission.refresh' },
  { method: 'POST', url: '/api/admission/public/track', access: 'public' },
  // end admission
  // issue 19 (complaints)
  { method: 'GET', url: '/api/complaints/public/targets', access: 'public' },
  { method: 'POST', url: '/api/complaints/public', access: 'public' },
  { method: 'POST', url: '/api/complaints/public/track', access: 'public' },
  { method: 'POST', url: '/api/complaints/surveys/draw', access: 'complaints.survey' },
  { method: 'GET', url: '/api/complaints/surveys', access: 'complaints.survey' },
  { method: 'GET', url: '/api/complaints/surveys/results', access: 'complaints.read' },
  { method: 'POST', url: '/api/complaints/surveys/:id/answer', access: 'complaints.survey' },
  { method: 'GET', url: '/api/complaints', access: 'complaints.read' },
  { method: 'GET', url: '/api/complaints/:id', access: 'complaints.read' },
  { method: 'POST', url: '/api/complaints/:id/contact', access: 'complaints.handle' },
  { method: 'POST', url: '/api/complaints/:id/assign', access: 'complaints.handle' },
  { method: 'POST', url: '/api/complaints/:id/investigate', access: 'complaints.handle' },
  { method: 'POST', url: '/api/complaints/:id/notes', access: 'complaints.handle' },
  { method: 'POST', url: '/api/complaints/:id/classify', access: 'complaints.handle' },
  { method: 'POST', url: '/api/complaints/:id/reply', access: 'complaints.handle' },
  { method: 'POST', url: '/api/complaints/:id/close', access: 'complaints.handle' },
  // end complaints
  // issue 20 (indicators)
  { method: 'GET', url: '/api/indicators', access: 'indicators.read' },
  { method: 'GET', url: '/api/indicators/definitions', access: 'indicators.read' },
  { method: 'GET', url: '/api/indicators/report', access: 'indicators.read' },
  { method: 'GET', url: '/api/indicators/export.xlsx', access: 'indicators.read' },
  { method: 'POST', url: '/api/indicators/refresh', access: 'indicators.refresh' },
  { method: 'GET', url: '/api/indicators/:key/regions', access: 'indicators.read' },
  { method: 'GET', url: '/api/indicators/:key/series', access: 'indicators.read' },
  { method: 'GET', url: '/api/indicators/:key/members', access: 'indicators.read' },
  { method: 'GET', url: '/api/indicators/:key/members.xlsx', access: 'indicators.read' },
  // end indicators
  // issue 19 (supervision)
  { method: 'GET', url: '/api/supervision/pools', access: 'supervision.read' },
  { method: 'GET', url: '/api/supervision/conflicts', access: 'supervision.manage' },
  { method: 'POST', url: '/api/supervision/conflicts', access: 'supervision.manage' },
  { method: 'POST', url: '/api/supervision/conflicts/:id/end', access: 'supervision.manage' },
  { method: 'GET', url: '/api/supervision/drand', access: 'supervision.read' },
  { method: 'GET', url: '/api/supervision/rounds', access: 'supervision.read' },
  { method: 'POST', url: '/api/supervision/rounds', access: 'supervision.manage' },
  { method: 'GET', url: '/api/supervision/rounds/:id', access: 'supervision.read' },
  { method: 'POST', url: '/api/supervision/rounds/:id/draw', access: 'supervision.manage' },
  { method: 'GET', url: '/api/supervision/inspections', access: 'supervision.read' },
  { method: 'POST', url: '/api/supervision/inspections', access: 'supervision.manage' },
  { method: 'GET', url: '/api/supervision/inspections/:id', access: 'supervision.read' },
  { method: 'POST', url: '/api/supervision/inspections/:id/submit', access: 'supervision.inspect' },
  { method: 'POST', url: '/api/supervision/inspections/:id/sign-off', access: 'supervision.manage' },
  { method: 'POST', url: '/api/supervision/inspections/:id/follow-up', access: 'supervision.manage' },
  { method: 'GET', url: '/api/supervision/ratings', access: 'supervision.read' },
  { method: 'POST', url: '/api/supervision/ratings/compute', access: 'supervision.manage' },
  { method: 'GET', url: '/api/supervision/public/rounds', access: 'public' },
  { method: 'GET', url: '/api/supervision/public/rounds/:id', access: 'public' },
  { method: 'GET', url: '/api/supervision/public/results', access: 'public' },
  { method: 'GET', url: '/api/supervision/public/formula', access: 'public' },
  // issue 20 (R12): the public pages' portal, catalogue in plain words and facility page
  { method: 'GET', url: '/api/public/portal', access: 'public' },
  { method: 'GET', url: '/api/public/services', access: 'public' },
  { method: 'GET', url: '/api/public/facilities/:id', access: 'public' },
  // end supervision
];

const ACCOUNTS = demoAccounts();
const account = (username: string) => ACCOUNTS.find((a) => a.username === username)!;
const TOWN1 = account('town1').regionCode;
const TOWN2 = account('town2').regionCode;
const VILLAGE1 = account('grid1').regionCode;

// the region of issue only: the birth date shown beside it must not complete the ID (issue 12)
const MASKED_ID = /^\d{6}\*{12}$/;
const FULL_ID_IN_TEXT = /(?<!\d)\d{17}[\dXx](?!\d)/;

type Expect = 'allowed' | 401 | 403;
function expected(access: Access, role: Role | null): Expect {
  if (access === 'public') return 'allowed';
  if (role === null) return 401;
  if (access === 'authenticated') return 'allowed';
  return can(role, access) ? 'allowed' : 403;
}

const BOUNDARY = 'yiyang-test-boundary';
/** A multipart form with a source and no file: the import route answers it with VALIDATION. */
const formWithoutFile = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="source"\r\n\r\npublic_security\r\n--${BOUNDARY}--\r\n`;

describe.each(dialects)('authorisation (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const sessions = new Map<string, Session>();
  // persons: a in grid1's village of town 1, b in another village of town 1, c in town 2
  const ids = {
    a: makeResidentId('990101', '1940-05-06', 1, 'F'),
    b: makeResidentId('990101', '1940-05-06', 2, 'F'),
    c: makeResidentId('990101', '1940-05-06', 3, 'F'),
  };
  const phones = { a: '13812345678', b: '13912345678', c: '13712345678' };
  const person = { a: 0, b: 0, c: 0 };
  const conflictOf = { a: 0, c: 0 };
  let importId = 0;
  let villageB = '';
  let villageC = '';

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    const villagesOf = (town: string) =>
      ctx.regions
        .all()
        .filter((r) => r.parent_code === town && r.level === 'village')
        .map((r) => r.code)
        .sort();
    villageB = villagesOf(TOWN1).find((v) => v !== VILLAGE1)!;
    villageC = villagesOf(TOWN2)[0]!;
    expect([villageB, villageC].every(Boolean)).toBe(true);
    const ps = await importText(
      ctx,
      'public_security',
      [
        '身份证号,姓名,村（社区）代码,联系电话',
        `${ids.a},张桂兰,${VILLAGE1},${phones.a}`,
        `${ids.b},李秀英,${villageB},${phones.b}`,
        `${ids.c},王淑珍,${villageC},${phones.c}`,
      ].join('\n'),
    );
    expect(ps).toMatchObject({ status: 'applied', created: 3 });
    importId = ps.id;
    // civil affairs spells two names differently: a conflict on 'name' for a (town 1) and c (town 2)
    const ca = await importText(ctx, 'civil_affairs', ['身份证号,姓名,救助类别', `${ids.a},张贵兰,低保`, `${ids.c},王淑贞,低保`].join('\n'));
    expect(ca.conflicts).toBe(2);
    const rows = await ctx.db.selectFrom('persons').select(['id', 'region_code']).execute();
    person.a = rows.find((r) => r.region_code === VILLAGE1)!.id;
    person.b = rows.find((r) => r.region_code === villageB)!.id;
    person.c = rows.find((r) => r.region_code === villageC)!.id;
    const conflicts = await ctx.db.selectFrom('attribute_conflicts').select(['id', 'person_id', 'field']).execute();
    expect(conflicts.map((c) => c.field)).toEqual(['name', 'name']);
    conflictOf.a = conflicts.find((c) => c.person_id === person.a)!.id;
    conflictOf.c = conflicts.find((c) => c.person_id === person.c)!.id;

    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    for (const a of ACCOUNTS) sessions.set(a.username, await loginAs(app, a.username));
  });

  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const as = (username: string | null) => (username === null ? null : sessions.get(username)!);

  async function scopeFor(username: string): Promise<Scope> {
    const user = await ctx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
    return scopeOf(user, ctx.regions, null);
  }

  /** A concrete request for each route: existing rows where there are some, harmless bodies. */
  function requestFor(route: (typeof ROUTES)[number], username: string | null): CallOptions {
    const key = `${route.method} ${route.url}`;
    switch (key) {
      // the live stream stays open: the matrix asks for the current state, which ends
      case 'GET /api/events':
        return { method: 'GET', url: '/api/events?snapshot=true' };
      case 'POST /api/auth/login':
        return { method: 'POST', url: route.url, payload: { username: username ?? 'admin', password: DEMO_PASSWORD } };
      case 'POST /api/persons/:id/reveal':
        return { method: 'POST', url: `/api/persons/${person.a}/reveal`, payload: { field: 'idNumber' } };
      // Password writes must not change anything (every session of the user would end): a wrong
      // current password, and a reset of a user that does not exist.
      case 'POST /api/auth/password':
        return { method: 'POST', url: route.url, payload: { currentPassword: 'not-the-password', newPassword: 'Matrix-Pass-2026' } };
      case 'POST /api/users/:id/password':
        return { method: 'POST', url: '/api/users/999999/password', payload: { newPassword: 'Matrix-Pass-2026' } };
      // user management: a taken username, a user that does not exist: nothing changes
      case 'POST /api/users':
        return {
          method: 'POST',
          url: route.url,
          payload: { username: 'admin', displayName: 'x', role: 'grid_worker', regionCode: '990101', password: 'Matrix-Pass-2026' },
        };
      case 'PATCH /api/users/:id':
        return { method: 'PATCH', url: '/api/users/999999', payload: { displayName: 'matrix' } };
      case 'POST /api/users/:id/unlock':
      case 'POST /api/users/:id/disable':
      case 'POST /api/users/:id/enable':
        return { method: 'POST', url: route.url.replace(':id', '999999'), payload: {} };
      case 'POST /api/conflicts/:id/resolve':
        // a conflict id that does not exist: the matrix must not settle the real ones
        return { method: 'POST', url: '/api/conflicts/999999/resolve', payload: { choice: 'keep' } };
      case 'POST /api/imports':
        return { method: 'POST', url: route.url, payload: formWithoutFile, headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } };
      // Entitlement writes aim at rows that do not exist (or a parameter that does not): the matrix
      // checks who may call them without changing anything.
      case 'POST /api/catalogues/:jurisdiction/parameters/:name':
        return { method: 'POST', url: '/api/catalogues/nanxun/parameters/no_such_parameter', payload: { from: '2024-01-01', value: 1, note: 'matrix' } };
      case 'POST /api/runs':
        // no parameter is set in this database, so an allowed caller is refused with PARAMETERS_UNSET
        return { method: 'POST', url: route.url, payload: { period: '2024-03' } };
      // a value the setting refuses: an allowed caller changes nothing
      case 'PUT /api/settings/:name':
        return { method: 'PUT', url: '/api/settings/catalogue', payload: { value: 'Not A Catalogue', note: 'matrix' } };
      case 'GET /api/runs/impact':
        return { method: 'GET', url: '/api/runs/impact?period=2024-03' };
      case 'POST /api/runs/parameter-impact':
        return { method: 'POST', url: route.url, payload: { jurisdiction: 'nanxun', name: 'no_such_parameter', from: '2024-01-01', value: 1 } };
      case 'POST /api/changes/:id/handled':
        return { method: 'POST', url: '/api/changes/999999/handled', payload: { handled: true } };
      case 'POST /api/rolls/:id/lines/:personId':
        return { method: 'POST', url: '/api/rolls/999999/lines/1', payload: { excluded: false, remark: '' } };
      case 'POST /api/rolls/:id/submit':
      case 'POST /api/rolls/:id/approve':
      case 'POST /api/rolls/:id/return':
        return { method: 'POST', url: route.url.replace(':id', '999999'), payload: { note: 'matrix' } };
      // a roll that does not exist: nothing is exported or reconciled
      case 'GET /api/payments/:rollId/disbursement':
        return { method: 'GET', url: '/api/payments/999999/disbursement' };
      case 'POST /api/payments/:rollId/returns':
        return {
          method: 'POST',
          url: '/api/payments/999999/returns',
          payload: formWithoutFile,
          headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        };
      case 'GET /api/payments/:rollId':
        return { method: 'GET', url: '/api/payments/999999' };
      case 'POST /api/public/self-check':
        return { method: 'POST', url: route.url, payload: { birthDate: '1940-01-01' } };
      default:
        return {
          method: route.method,
          url: route.url
            .replace(':id', String(route.url.startsWith('/api/imports') ? importId : route.url.startsWith('/api/persons') ? person.a : 999999))
            .replace(':key', 'public_security')
            .replace(':jurisdiction', 'nanxun')
            .replace(':itemId', 'nx-10'),
        };
    }
  }

  describe('routes', () => {
    it('the app has exactly the routes of the matrix, each declaring the access listed', () => {
      const seen = routesOf(app);
      expect(seen, 'routes were not recorded: is the fastify mock in place?').toBeDefined();
      const api = seen!.filter((r) => r.url.startsWith('/api'));
      const actual = api
        .filter((r) => r.method !== 'HEAD')
        .map((r) => `${r.method} ${r.url} ${String(r.access)}`)
        .sort();
      const listed = ROUTES.map((r) => `${r.method} ${r.url} ${r.access}`).sort();
      expect(actual).toEqual(listed);
      // HEAD routes are Fastify's automatic twins of GET routes, with the same access
      for (const head of api.filter((r) => r.method === 'HEAD')) {
        // (a plugin's prefix route '/' has its HEAD twin at 'prefix/' and its GET at 'prefix')
        const same = (a: string, b: string) => a === b || a === `${b}/`;
        expect(
          api.some((g) => g.method === 'GET' && same(head.url, g.url) && g.access === head.access),
          head.url,
        ).toBe(true);
      }
      for (const r of ROUTES) expect(app.hasRoute({ method: r.method, url: r.url }), `${r.method} ${r.url}`).toBe(true);
    });

    it('every non-public route is closed to the anonymous caller, every public one open', () => {
      const docs = /^\/api\/(openapi\.json|docs(\/.*)?)$/;
      expect(ROUTES.filter((r) => docs.test(r.url)).every((r) => r.access === 'public')).toBe(true);
      expect(
        ROUTES.filter((r) => r.access === 'public' && !docs.test(r.url))
          .map((r) => r.url)
          .sort(),
      ).toEqual([
        // issue 19: the admission queue's look-up by the receipt's code (R8)
        '/api/admission/public/track',
        // issue 18: vendors' platforms post device events, authenticated by their signature, not a session
        '/api/alarms/ingest',
        '/api/auth/login',
        // issue 19: complaints (投诉举报) filed and tracked without an account (R9, R12)
        '/api/complaints/public',
        '/api/complaints/public/targets',
        '/api/complaints/public/track',
        // issue 19: the public facility map (000 §8)
        '/api/facilities/public/map',
        '/api/facts',
        '/api/health',
        '/api/public/assessments/verify',
        '/api/public/catalogue',
        // issue 20: the public pages (R12): portal, catalogue in plain words, a facility's page
        '/api/public/facilities/:id',
        // issue 21: the counties to choose from first
        '/api/public/places',
        '/api/public/portal',
        '/api/public/self-check',
        '/api/public/services',
        // issue 19: 双随机一公开 — rounds (pools, commitment, seed, result), published results and the rating formula (R9)
        '/api/supervision/public/formula',
        '/api/supervision/public/results',
        '/api/supervision/public/rounds',
        '/api/supervision/public/rounds/:id',
      ]);
    });
  });

  describe('matrix: route × role', () => {
    const callers: Array<{ username: string | null; role: Role | null }> = [
      { username: null, role: null },
      ...ACCOUNTS.map((a) => ({ username: a.username, role: a.role })),
    ];

    it('the demo accounts cover every role', () => {
      expect(new Set(ACCOUNTS.map((a) => a.role))).toEqual(new Set(roles));
    });

    it.each(ROUTES.map((r) => [`${r.method} ${r.url}`, r] as const))('%s', async (_name, route) => {
      const outcomes: string[] = [];
      const wrong: string[] = [];
      for (const { username, role } of callers) {
        let session = as(username);
        // logging out ends the session: use one of its own
        if (session && route.url === '/api/auth/logout') session = await loginAs(app, session.username);
        const res = await call(app, session, requestFor(route, username));
        const want = expected(route.access, role);
        const code = errorCode(res);
        const who = username ?? 'anonymous';
        outcomes.push(`${who}:${res.statusCode}`);
        const ok =
          want === 'allowed'
            ? res.statusCode < 500 && res.statusCode !== 401 && res.statusCode !== 403 && !['UNAUTHENTICATED', 'FORBIDDEN', 'CSRF'].includes(code ?? '')
            : res.statusCode === want && code === (want === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN');
        if (!ok) wrong.push(`${who} (${role ?? 'anonymous'}): expected ${want}, got ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
      expect(wrong, outcomes.join(' ')).toEqual([]);
    });

    it('allowed callers reach the handler (spot checks of the answers)', async () => {
      expect(
        (
          await call(app, as('admin'), {
            method: 'POST',
            url: '/api/imports',
            payload: formWithoutFile,
            headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
          })
        ).json().error.code,
      ).toBe('UPLOAD_MISSING');
      expect((await call(app, as('admin'), { method: 'POST', url: '/api/conflicts/999999/resolve', payload: { choice: 'keep' } })).statusCode).toBe(404);
      expect((await call(app, as('admin'), { method: 'GET', url: `/api/imports/${importId}` })).statusCode).toBe(200);
      expect((await call(app, as('hotline1'), { method: 'POST', url: `/api/persons/${person.c}/reveal`, payload: { field: 'idNumber' } })).json()).toEqual({
        field: 'idNumber',
        value: ids.c,
      });
      // issue 15: an assessor sees only the persons assigned to them (none here; assessment/schedule.test.ts covers the assigned)
      expect((await call(app, as('assessor1'), { method: 'GET', url: `/api/persons/${person.b}` })).statusCode).toBe(404);
    });

    // Access is decided by the matched route, not by the spelling of the request path:
    // find-my-way decodes '%61' to 'a' when routing.
    it('a percent-encoded path does not bypass access control', async () => {
      const anonSources = await app.inject({ method: 'GET', url: '/%61pi/sources' });
      expect(anonSources.statusCode).toBe(401);
      const providerSources = await call(app, as('provider1'), { method: 'GET', url: '/%61pi/sources' });
      expect(providerSources.statusCode).toBe(403);
      const anonMe = await app.inject({ method: 'GET', url: '/%61pi/auth/me' });
      expect(anonMe.statusCode).toBe(401);
    });

    // Who may call a route is decided before anything about the request is looked at.
    it('access is checked before the request is validated', async () => {
      const anon = await app.inject({ method: 'POST', url: '/api/persons/not-a-number/reveal', payload: { field: 'password' } });
      expect(anon.statusCode).toBe(401);
      const provider = await call(app, as('provider1'), { method: 'POST', url: '/api/persons/not-a-number/reveal', payload: { field: 'password' } });
      expect(provider.statusCode).toBe(403);
    });
  });

  describe('region scope through the API', () => {
    const listIds = async (username: string, query = '') => {
      const res = await call(app, as(username), { method: 'GET', url: `/api/persons?pageSize=200&status=all${query}` });
      expect(res.statusCode).toBe(200);
      const body = res.json<{ items: Array<{ id: number }>; total: number }>();
      expect(body.total).toBe(body.items.length);
      return body.items.map((p) => p.id).sort((x, y) => x - y);
    };

    it('a town officer reads its own town’s person and gets 404 for another town’s', async () => {
      const own = await call(app, as('town1'), { method: 'GET', url: `/api/persons/${person.a}` });
      expect(own.statusCode).toBe(200);
      expect(own.json().person.id).toBe(person.a);
      const other = await call(app, as('town1'), { method: 'GET', url: `/api/persons/${person.c}` });
      expect(other.statusCode).toBe(404);
      expect(errorCode(other)).toBe('NOT_FOUND');
      const reveal = await call(app, as('town1'), { method: 'POST', url: `/api/persons/${person.c}/reveal`, payload: { field: 'idNumber' } });
      expect(reveal.statusCode).toBe(404);
      expect(errorCode(reveal)).toBe('NOT_FOUND');
      expect(reveal.body).not.toContain(ids.c);
      // the answer is the same as for an id that does not exist at all
      const none = await call(app, as('town1'), { method: 'GET', url: '/api/persons/999999' });
      expect(none.json().error.code).toBe(other.json().error.code);
      expect(none.statusCode).toBe(other.statusCode);
    });

    it('search never returns another town’s people, even when asked for its region', async () => {
      expect(await listIds('town1')).toEqual([person.a, person.b].sort((x, y) => x - y));
      expect(await listIds('town1', `&regionCode=${TOWN2}`)).toEqual([]);
      expect(await listIds('town1', `&regionCode=${villageC}`)).toEqual([]);
      expect(await listIds('town1', `&q=${ids.c}`)).toEqual([]);
      expect(await listIds('town1', `&q=${encodeURIComponent('王')}`)).toEqual([]);
      expect(await listIds('town2')).toEqual([person.c]);
      expect(await listIds('town2', `&regionCode=${TOWN1}`)).toEqual([]);
      // issue 15: an assessor's register is the persons assigned to them, none here
      expect(await listIds('assessor1')).toEqual([]);
    });

    it('a grid worker sees only its village', async () => {
      expect(await listIds('grid1')).toEqual([person.a]);
      expect(await listIds('grid1', `&regionCode=${TOWN1}`)).toEqual([person.a]);
      expect((await call(app, as('grid1'), { method: 'GET', url: `/api/persons/${person.b}` })).statusCode).toBe(404);
      expect((await call(app, as('grid1'), { method: 'POST', url: `/api/persons/${person.b}/reveal`, payload: { field: 'phone' } })).statusCode).toBe(404);
      expect((await call(app, as('grid1'), { method: 'GET', url: `/api/persons/${person.a}` })).statusCode).toBe(200);
    });

    it('county-wide roles see every town', async () => {
      const all = [person.a, person.b, person.c].sort((x, y) => x - y);
      expect(await listIds('admin')).toEqual(all);
      expect(await listIds('hotline1')).toEqual(all);
    });

    it('the region list is cut to the viewer’s subtree', async () => {
      const res = await call(app, as('town1'), { method: 'GET', url: '/api/regions' });
      const codes = res.json<{ regions: Array<{ code: string }> }>().regions.map((r) => r.code);
      expect(codes).toContain(VILLAGE1);
      expect(codes.every((c) => c.startsWith(TOWN1))).toBe(true);
    });

    it('another town’s conflicts are neither listed nor resolvable', async () => {
      const list = async (username: string) =>
        (await call(app, as(username), { method: 'GET', url: '/api/conflicts?pageSize=200' })).json<{ items: Array<{ id: number; personId: number }> }>().items;
      const town1Sees = await list('town1');
      expect(town1Sees.map((c) => c.id)).not.toContain(conflictOf.c);
      expect(town1Sees.every((c) => c.personId === person.a || c.personId === person.b)).toBe(true);
      const town2Sees = await list('town2');
      expect(town2Sees.map((c) => c.id)).toEqual([conflictOf.c]);
      expect((await list('admin')).map((c) => c.id).sort()).toEqual([conflictOf.a, conflictOf.c].sort());

      const byTown2 = await call(app, as('town2'), { method: 'POST', url: `/api/conflicts/${conflictOf.a}/resolve`, payload: { choice: 'accept' } });
      expect(byTown2.statusCode).toBe(404);
      expect(errorCode(byTown2)).toBe('NOT_FOUND');
      const acrossTowns = await call(app, as('town1'), { method: 'POST', url: `/api/conflicts/${conflictOf.c}/resolve`, payload: { choice: 'keep' } });
      expect(acrossTowns.statusCode).toBe(404);
      const byTown1 = await call(app, as('town1'), { method: 'POST', url: `/api/conflicts/${conflictOf.a}/resolve`, payload: { choice: 'keep' } });
      expect(byTown1.statusCode).toBe(200);
      const rows = await ctx.db.selectFrom('attribute_conflicts').select(['id', 'status']).orderBy('id').execute();
      expect(rows).toEqual(
        [
          { id: conflictOf.a, status: 'kept' },
          { id: conflictOf.c, status: 'open' },
        ].sort((x, y) => x.id - y.id),
      );
    });
  });

  describe('region scope below the routes', () => {
    const notFound = (p: Promise<unknown>) => expect(p).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND');

    it('the register service refuses another town’s person to a town officer', async () => {
      const town1 = await scopeFor('town1');
      const found = await register.search(ctx, town1, { page: 1, pageSize: 200, status: 'all' });
      expect(found.items.map((p) => p.id)).not.toContain(person.c);
      expect((await register.search(ctx, town1, { page: 1, pageSize: 200, regionCode: TOWN2 })).total).toBe(0);
      expect((await register.search(ctx, town1, { page: 1, pageSize: 200, q: ids.c })).total).toBe(0);
      await notFound(register.profile(ctx, town1, person.c, true));
      await notFound(register.reveal(ctx, town1, person.c, 'idNumber'));
      await notFound(register.reveal(ctx, town1, person.c, 'phone'));
      await notFound(register.resolve(ctx, town1, conflictOf.c, 'accept'));
      expect((await register.conflicts(ctx, town1, 'open', 1, 200)).items.map((c) => c.id)).not.toContain(conflictOf.c);
      // and the same scope does reach its own town
      expect((await register.profile(ctx, town1, person.b, false)).person.id).toBe(person.b);
    });

    it('the register service checks the role too', async () => {
      const institution = await scopeFor('institution1');
      await expect(register.search(ctx, institution, { page: 1, pageSize: 20 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      // issue 17: a provider's staff read the register, but only the persons their organisation serves;
      // staff with no organisation on record reach nobody (not the whole county)
      const provider = await scopeFor('provider1');
      expect((await register.search(ctx, provider, { page: 1, pageSize: 20 })).total).toBe(0);
      await notFound(register.profile(ctx, provider, person.a, false));
      const assessor = await scopeFor('assessor1');
      await expect(register.reveal(ctx, assessor, person.a, 'idNumber')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const grid = await scopeFor('grid1');
      await expect(register.resolve(ctx, grid, conflictOf.a, 'keep')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  describe('audit and masking', () => {
    const auditRows = (action: string, actor: string, entityId: number) =>
      ctx.db
        .selectFrom('audit_log')
        .select(['seq', 'fields', 'role'])
        .where('action', '=', action)
        .where('actor', '=', actor)
        .where('entity_type', '=', 'person')
        .where('entity_id', '=', String(entityId))
        .orderBy('seq')
        .execute();

    it('a reveal writes a person.reveal entry naming the field; a refused one writes none', async () => {
      const before = await auditRows('person.reveal', 'grid1', person.a);
      const res = await call(app, as('grid1'), { method: 'POST', url: `/api/persons/${person.a}/reveal`, payload: { field: 'idNumber' } });
      expect(res.json()).toEqual({ field: 'idNumber', value: ids.a });
      const after = await auditRows('person.reveal', 'grid1', person.a);
      expect(after.length).toBe(before.length + 1);
      expect(after.at(-1)).toMatchObject({ role: 'grid_worker' });
      expect(JSON.parse(after.at(-1)!.fields!)).toEqual(['idNumber']);

      const refusedBefore = await auditRows('person.reveal', 'grid1', person.c);
      expect((await call(app, as('grid1'), { method: 'POST', url: `/api/persons/${person.c}/reveal`, payload: { field: 'idNumber' } })).statusCode).toBe(404);
      expect(await auditRows('person.reveal', 'grid1', person.c)).toEqual(refusedBefore);
    });

    it('a profile read writes a person.read entry', async () => {
      const before = await auditRows('person.read', 'town2', person.c);
      expect((await call(app, as('town2'), { method: 'GET', url: `/api/persons/${person.c}` })).statusCode).toBe(200);
      const after = await auditRows('person.read', 'town2', person.c);
      expect(after.length).toBe(before.length + 1);
      expect(JSON.parse(after.at(-1)!.fields!)).toContain('name');
    });

    it('lists, profiles and conflicts show only masked IDs and phones', async () => {
      const list = await call(app, as('admin'), { method: 'GET', url: '/api/persons?pageSize=200&status=all' });
      const items = list.json<{ items: Array<{ idMasked: string; phoneMasked: string | null }> }>().items;
      expect(items).toHaveLength(3);
      for (const p of items) {
        expect(p.idMasked).toMatch(MASKED_ID);
        expect(p.phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/);
      }
      const texts = [
        list.body,
        (await call(app, as('admin'), { method: 'GET', url: `/api/persons/${person.a}` })).body,
        (await call(app, as('town2'), { method: 'GET', url: `/api/persons/${person.c}` })).body,
        (await call(app, as('admin'), { method: 'GET', url: '/api/conflicts?status=open' })).body,
        (await call(app, as('hotline1'), { method: 'GET', url: `/api/persons?q=${ids.b}` })).body,
      ];
      for (const text of texts) {
        expect(text).not.toMatch(FULL_ID_IN_TEXT);
        for (const v of [...Object.values(ids), ...Object.values(phones)]) expect(text).not.toContain(v);
      }
    });

    // the search records its query in the audit detail; recordAudit masks IDs in it
    it('searching by a full ID does not put the ID in clear into the audit log', async () => {
      const found = await call(app, as('town1'), { method: 'GET', url: `/api/persons?q=${ids.b}` });
      expect(found.json().total).toBe(1);
      const audit = await call(app, as('admin'), { method: 'GET', url: '/api/audit?action=register.search&pageSize=200' });
      expect(audit.statusCode).toBe(200);
      expect(audit.body).not.toContain(ids.b);
      const stored = await ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'register.search').execute();
      expect(JSON.stringify(stored)).not.toContain(ids.b);
    });
  });
});
