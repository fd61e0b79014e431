import type { Generated, Selectable } from 'kysely';

/** A facility of any kind (机构, 区域性中心, 日间照料, 社区站点, 助餐点, 家庭照护床位服务方). */
export interface FacilityTable {
  id: Generated<number>;
  name: string;
  /** institution | regional_centre | day_care | community_station | canteen | care_bed_provider */
  kind: string;
  /** public | public_private (公建民营) | private */
  ownership: string;
  region_code: string;
  address: string;
  /** WGS-84 */
  lat: number | null;
  lng: number | null;
  /** institutions 一级…五级 ('1'…'5'); home-care organisations 基础级 'basic', '1A'…'5A' */
  grade: string | null;
  government_work: number;
  provider_id: number | null;
  /** a 特困供养机构 (rural 敬老院, 001 专栏5 / 002 §14): 1 or 0 */
  hardship_home: number;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface FacilityBedTable {
  id: Generated<number>;
  facility_id: number;
  label: string;
  /** ordinary | nursing | dementia */
  type: string;
  added_on: string;
  retired_on: string | null;
}

/** One stay of a person in a bed; an open stay has no until_date (one per bed, one per person). */
export interface FacilityStayTable {
  id: Generated<number>;
  facility_id: number;
  bed_id: number;
  person_id: number;
  /** the person's region, for the scope of the reads */
  region_code: string;
  since: string;
  until_date: string | null;
  /** admission | transfer */
  began: string;
  /** queue | direct */
  source: string;
  application_id: number | null;
  /** transfer | discharge | death */
  ended: string | null;
  note: string | null;
  created_at: string;
}

export interface FacilityStaffTable {
  id: Generated<number>;
  facility_id: number;
  name: string;
  role: string;
  employment: string;
  fte_pct: number;
  certificates: string;
  started_on: string;
  ended_on: string | null;
  created_at: string;
  updated_at: string;
}

declare module '../../db/tables.js' {
  interface Database {
    facilities: FacilityTable;
    facility_beds: FacilityBedTable;
    facility_stays: FacilityStayTable;
    facility_staff: FacilityStaffTable;
  }
}

export type FacilityRow = Selectable<FacilityTable>;
export type FacilityBedRow = Selectable<FacilityBedTable>;
export type FacilityStayRow = Selectable<FacilityStayTable>;
export type FacilityStaffRow = Selectable<FacilityStaffTable>;
