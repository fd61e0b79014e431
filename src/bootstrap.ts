import { existsSync } from 'node:fs';
import type { Config } from './config.js';
import { openDatabase, type DbHandle } from './db/database.js';
import { migrate } from './db/migrate.js';
import { serverModules } from './modules/index.js';
import { installPolicy } from './platform/policy.js';
import { RegionIndex } from './modules/regions/regions.service.js';
import { CatalogueStore } from './modules/catalogue/catalogue.store.js';
import type { AppContext } from './platform/context.js';
import { SettingsStore } from './platform/settings.js';
import { createFieldCipher } from './platform/crypto.js';
import { bindAuditKey, upgradeAuditChain } from './platform/audit.js';
import { anchorAudit } from './platform/audit-anchor.js';

export interface OpenOptions {
  /**
   * Re-key an unkeyed audit chain (databases written before the chain was keyed) and anchor it.
   * Default true; verify-audit turns it off so that it can report on any database as it is.
   */
  upgradeAudit?: boolean;
}

/** config → database → modules (policy, migrations, start hooks) → audit key → region tree: what the server, the CLI and tests share. */
export async function openContext(config: Config, handle: DbHandle = openDatabase(config), opts: OpenOptions = {}): Promise<AppContext> {
  installPolicy(serverModules);
  await migrate(handle.db, serverModules, handle.schema);
  // the modules' start hooks: sinks and guards handed left, columns declared facts own
  for (const m of serverModules) await m.start?.(handle.db);
  // the audit chain's key comes from the master key and travels with this handle, never in the database
  bindAuditKey(handle.db, config.masterKey);
  if (opts.upgradeAudit !== false) {
    const rekeyed = await upgradeAuditChain(handle.db, { anchorFile: config.auditAnchorFile, anchorFileExists: existsSync(config.auditAnchorFile) });
    if (rekeyed)
      console.warn(`Audit chain: ${rekeyed} entries written before the chain was keyed were checked and re-keyed (HMAC-SHA256); recorded as audit.rekey.`);
    // the anchor file exists from the first open on: from then on the chain can never be re-keyed again
    if (rekeyed || !existsSync(config.auditAnchorFile)) await anchorAudit({ db: handle.db, config });
  }
  const catalogues = CatalogueStore.fromDirectory(config.cataloguesDir);
  if (!catalogues.latest(config.catalogue)) {
    throw new Error(
      `Setting CATALOGUE="${config.catalogue}": no catalogue in ${config.cataloguesDir} (found: ${catalogues.jurisdictions().join(', ') || 'none'})`,
    );
  }
  const regions = await RegionIndex.load(handle.db);
  return {
    db: handle.db,
    dialect: handle.dialect,
    handle,
    cipher: createFieldCipher(config.masterKey),
    config,
    regions,
    catalogues,
    settings: await SettingsStore.load(handle.db, config, regions),
  };
}
