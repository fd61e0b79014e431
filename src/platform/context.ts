import type { Config } from '../config.js';
import type { Db, DbHandle, DialectName } from '../db/database.js';
import type { RegionIndex } from '../modules/regions/regions.service.js';
import type { FieldCipher } from './crypto.js';
import type { CatalogueStore } from '../modules/catalogue/catalogue.store.js';
import type { SettingsStore } from './settings.js';

/** What every service receives: the database, the field cipher, settings and the region tree. */
export interface AppContext {
  db: Db;
  dialect: DialectName;
  handle: DbHandle;
  cipher: FieldCipher;
  config: Config;
  regions: RegionIndex;
  /** the catalogue files, loaded and type-checked at start */
  catalogues: CatalogueStore;
  /** jurisdiction settings (which catalogue a jurisdiction runs, and figures to come) */
  settings: SettingsStore;
}
