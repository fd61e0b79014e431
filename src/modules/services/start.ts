import { registerEntitlementSink } from './entitlement.sink.js';
import { registerProviderReach } from './reach.js';

/** The module's start hook: a provider's reach and the entitlement runs' sink, each registered once per process. */
export function startServices(): void {
  registerProviderReach();
  registerEntitlementSink();
}
