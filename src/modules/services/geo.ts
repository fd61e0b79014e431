import { AppError } from '../../platform/errors.js';
import type { ServiceSettings } from './services.settings.js';

/**
 * Places for visit verification. Locations are WGS-84 as the phone's GPS gives them. A precise
 * location is sealed where it is stored; the clear-text columns keep only numbers derived from it
 * (a distance, an accuracy) and a ~1 km cell, enough for the travel check and not enough to find a
 * home (hundreds of households share a cell).
 */
export interface Point {
  lat: number;
  lng: number;
}
export interface Fix extends Point {
  /** the device's reported accuracy, metres (radius) */
  accuracy: number;
}

const EARTH_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The cell size in degrees: 0.01° is about 1.1 km north-south, about 0.95 km east-west at 30°N. */
export const CELL_DEGREES = 0.01;

/** The ~1 km cell of a point: 'lat,lng' of its south-west corner, two decimals. */
export function cellOf(p: Point): string {
  const lat = Math.floor(p.lat / CELL_DEGREES) * CELL_DEGREES;
  const lng = Math.floor(p.lng / CELL_DEGREES) * CELL_DEGREES;
  return `${lat.toFixed(2)},${lng.toFixed(2)}`;
}

function cellCorner(cell: string): Point {
  const [lat, lng] = cell.split(',').map(Number);
  return { lat: lat!, lng: lng! };
}

/**
 * The least distance in metres two points in these cells can be apart: the distance between the
 * cells' nearest edges (0 for the same or adjacent cells). The travel check uses it, so a flag
 * never rests on the rounding.
 */
export function cellGapMeters(a: string, b: string): number {
  if (a === b) return 0;
  const p = cellCorner(a);
  const q = cellCorner(b);
  const steps = (x: number, y: number) => Math.max(0, Math.round(Math.abs(x - y) / CELL_DEGREES) - 1);
  const dLat = steps(p.lat, q.lat) * CELL_DEGREES;
  const dLng = steps(p.lng, q.lng) * CELL_DEGREES;
  if (dLat === 0 && dLng === 0) return 0;
  // metres per degree: 111.195 km of latitude; longitude shrinks with the cosine of the latitude
  return Math.hypot(dLat * 111_195, dLng * 111_195 * Math.cos(rad(Math.max(Math.abs(p.lat), Math.abs(q.lat)) + CELL_DEGREES)));
}

/**
 * A location from a device, checked: real coordinates (not NaN, inside ±90/±180, not the 0,0 of a
 * phone with no fix), an accuracy between 0 and 10 km, and inside the jurisdiction's bounds.
 * `field` names it in the error ('checkIn.location').
 */
export function checkFix(fix: Fix, settings: Pick<ServiceSettings, 'bounds'>, field: string): Fix {
  const { lat, lng, accuracy } = fix;
  const real = Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180 && !(lat === 0 && lng === 0);
  if (!real || !Number.isFinite(accuracy) || accuracy < 0 || accuracy > 10_000) {
    throw new AppError('SERVICE_LOCATION_INVALID', { field, lat: String(lat), lng: String(lng), accuracy: String(accuracy) });
  }
  const b = settings.bounds;
  if (lat < b.minLat || lat > b.maxLat || lng < b.minLng || lng > b.maxLng) {
    throw new AppError('SERVICE_LOCATION_OUTSIDE', {
      field,
      lat: lat.toFixed(5),
      lng: lng.toFixed(5),
      bounds: `${b.minLat}–${b.maxLat}°N, ${b.minLng}–${b.maxLng}°E`,
    });
  }
  return { lat, lng, accuracy: Math.round(accuracy) };
}
