import type { Config } from './config.js';
import { openDatabase, type DbHandle } from './db/database.js';
import { migrate } from './db/migrate.js';
import { RegionIndex } from './modules/regions/regions.service.js';
import { CatalogueStore } from './modules/catalogue/catalogue.store.js';
import type { AppContext } from './platform/context.js';
import { createFieldCipher } from './platform/crypto.js';

/** config → database → migrations → region tree: what the server, the CLI and tests share. */
export async function openContext(config: Config, handle: DbHandle = openDatabase(config)): Promise<AppContext> {
  await migrate(handle.db, handle.schema);
  const catalogues = CatalogueStore.fromDirectory(config.cataloguesDir);
  if (!catalogues.latest(config.catalogue)) {
    throw new Error(`Setting CATALOGUE="${config.catalogue}": no catalogue in ${config.cataloguesDir} (found: ${catalogues.jurisdictions().join(', ') || 'none'})`);
  }
  return {
    db: handle.db,
    dialect: handle.dialect,
    handle,
    cipher: createFieldCipher(config.masterKey),
    config,
    regions: await RegionIndex.load(handle.db),
    catalogues,
  };
}
