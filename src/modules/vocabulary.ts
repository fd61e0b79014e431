import type { Role } from '../platform/policy.js';
import { vocabulary as assessment } from './assessment/assessment.vocabulary.js';
import { vocabulary as audit } from './audit/audit.vocabulary.js';
import { vocabulary as careEvents } from './care-events/care-events.vocabulary.js';
import { vocabulary as catalogue } from './catalogue/catalogue.vocabulary.js';
import { vocabulary as complaints } from './complaints/complaints.vocabulary.js';
import { vocabulary as entitlements } from './entitlements/entitlements.vocabulary.js';
import { vocabulary as facilities } from './facilities/facilities.vocabulary.js';
import { vocabulary as indicators } from './indicators/indicators.vocabulary.js';
import { vocabulary as payments } from './payments/payments.vocabulary.js';
import { vocabulary as regions } from './regions/regions.vocabulary.js';
import { vocabulary as register } from './register/register.vocabulary.js';
import { vocabulary as admission } from './admission/admission.vocabulary.js';
import { vocabulary as alarms } from './alarms/alarms.vocabulary.js';
import { vocabulary as services } from './services/services.vocabulary.js';
import { vocabulary as settings } from './settings/settings.vocabulary.js';
import { vocabulary as supervision } from './supervision/supervision.vocabulary.js';
import { vocabulary as timebank } from './timebank/timebank.vocabulary.js';
import { vocabulary as users } from './users/users.vocabulary.js';
import { vocabulary as visits } from './visits/visits.vocabulary.js';

/** A name in both of the console's languages. */
export interface Words {
  zh: string;
  en: string;
}

/**
 * A module's words for the audit log (src/modules/<m>/<m>.vocabulary.ts): its actions (the
 * `action` it writes with recordAudit / auditedRead, and the platform's actions of its prefix) and
 * the entity types they name. Pure data, so the console imports it.
 */
export interface Vocabulary {
  actions: Record<string, Words>;
  entities: Record<string, Words>;
}

/** Every module's vocabulary, by module id. A new capability adds its file here. */
export const moduleVocabularies: Record<string, Vocabulary> = {
  users,
  regions,
  register,
  assessment,
  audit,
  catalogue,
  entitlements,
  payments,
  'care-events': careEvents,
  visits,
  timebank,
  services,
  alarms,
  facilities,
  admission,
  complaints,
  supervision,
  indicators,
  settings,
};

/** The roles' display names (src/platform/policy.ts), and the platform's own account ('system'): the console's labels, the demo accounts printed at start-up. */
export const roleWords: Record<Role | 'system', Words> = {
  bureau_admin: { zh: '民政局管理员', en: 'Bureau admin' },
  town_officer: { zh: '镇街工作人员', en: 'Town officer' },
  grid_worker: { zh: '村社区网格员', en: 'Grid worker' },
  assessor: { zh: '评估员', en: 'Assessor' },
  provider: { zh: '服务商', en: 'Service provider' },
  caregiver: { zh: '护理员', en: 'Caregiver' },
  institution_staff: { zh: '养老机构工作人员', en: 'Institution staff' },
  hotline_operator: { zh: '热线接线员', en: 'Hotline operator' },
  hotline_supervisor: { zh: '热线值班长', en: 'Hotline supervisor' },
  inspector: { zh: '监管人员', en: 'Inspector' },
  village_head: { zh: '村（社区）负责人', en: 'Village head' },
  volunteer: { zh: '志愿者', en: 'Volunteer' },
  system: { zh: '系统', en: 'System' },
};

/**
 * Who did something, in both languages: the platform's own accounts ("system:demo" seeding the
 * demo, "system" or "system:<job>" a scheduled job) in words, anyone else by their name as is. The
 * console's actorName and the server's texts that name an actor (a parameter set by an
 * administrator) read it, so both say 演示数据 / Demo data.
 */
export function actorWords(name: string): Words {
  if (name === 'system:demo') return { zh: '演示数据', en: 'Demo data' };
  if (name === 'system' || name.startsWith('system:')) return roleWords.system;
  return { zh: name, en: name };
}

/** One list of words from many modules; a key two modules both declare is refused, naming both. */
export function mergeVocabularies(vocabularies: Record<string, Vocabulary>): Vocabulary {
  const merged: Vocabulary = { actions: {}, entities: {} };
  const owner = { actions: new Map<string, string>(), entities: new Map<string, string>() };
  for (const [id, v] of Object.entries(vocabularies)) {
    for (const kind of ['actions', 'entities'] as const) {
      for (const [key, words] of Object.entries(v[kind])) {
        const first = owner[kind].get(key);
        if (first) throw new Error(`Audit vocabulary: ${kind === 'actions' ? 'action' : 'entity type'} '${key}' is declared by both ${first} and ${id}`);
        owner[kind].set(key, id);
        merged[kind][key] = words;
      }
    }
  }
  return merged;
}

const merged = mergeVocabularies(moduleVocabularies);

/** Every audit action, in words. */
export const auditActions: Record<string, Words> = merged.actions;
/** Every entity type an audit entry names, in words. */
export const auditEntities: Record<string, Words> = merged.entities;
