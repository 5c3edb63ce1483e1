/**
 * FlowyML writes three time formats in two zones: naive local ISO times
 * (`2026-12-04T14:28:52.964244`) for run and artifact times, naive UTC
 * (`2026-12-04 19:28:52`, SQLite's CURRENT_TIMESTAMP) in created_at columns,
 * and ISO with an offset in a few tables. Every time becomes an Instant.
 */
import type { Instant } from './types';

const NAIVE_ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const WITH_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/;

/** Milliseconds since the epoch of a naive time read as if it were UTC. */
export function naiveAsUtcMs(text: string): number | undefined {
  const m = NAIVE_ISO.exec(text.trim());
  if (!m) return undefined;
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) + fraction;
  return Number.isFinite(ms) ? ms : undefined;
}

function toIso(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(Math.round(ms));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Reads a time that SQLite's CURRENT_TIMESTAMP wrote: naive, but UTC. */
export function utcInstant(raw: string | null | undefined): Instant | undefined {
  if (!raw) return undefined;
  if (WITH_OFFSET.test(raw.trim())) return explicitInstant(raw);
  const ms = naiveAsUtcMs(raw);
  return { raw, iso: ms === undefined ? undefined : toIso(ms), zone: 'utc' };
}

/** Reads a time stored with its offset. */
export function explicitInstant(raw: string): Instant {
  const ms = Date.parse(raw.trim());
  return { raw, iso: Number.isNaN(ms) ? undefined : toIso(ms), zone: 'explicit' };
}

/**
 * Reads a naive local time. With a known offset (minutes east of UTC) it becomes an
 * exact instant; without one it is read in the viewer's zone and flagged.
 */
export function localInstant(raw: string | null | undefined, offsetMinutes: number | undefined): Instant | undefined {
  if (!raw) return undefined;
  if (WITH_OFFSET.test(raw.trim())) return explicitInstant(raw);
  const asUtc = naiveAsUtcMs(raw);
  if (asUtc === undefined) return { raw, iso: undefined, zone: 'assumed-local' };
  if (offsetMinutes !== undefined) {
    return { raw, iso: toIso(asUtc - offsetMinutes * 60_000), zone: 'derived-offset' };
  }
  const m = NAIVE_ISO.exec(raw.trim())!;
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const local = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return { raw, iso: toIso(local.getTime() + fraction), zone: 'assumed-local' };
}

/**
 * Derives the writer's UTC offset from a naive local time and the UTC time
 * SQLite stamped on the same row. Offsets are whole quarter hours; a pair
 * further than a minute from one is not the same moment, so no offset is
 * derived from it.
 */
export function deriveOffsetMinutes(localRaw: string | null | undefined, utcRaw: string | null | undefined): number | undefined {
  if (!localRaw || !utcRaw) return undefined;
  const local = naiveAsUtcMs(localRaw);
  const utc = naiveAsUtcMs(utcRaw);
  if (local === undefined || utc === undefined) return undefined;
  const diffMinutes = (local - utc) / 60_000;
  const rounded = Math.round(diffMinutes / 15) * 15;
  if (Math.abs(diffMinutes - rounded) > 1 || Math.abs(rounded) > 14 * 60) return undefined;
  return rounded;
}

/** Milliseconds of an instant, for sorting; undefined sorts last. */
export function instantMs(instant: Instant | undefined): number | undefined {
  if (!instant?.iso) return undefined;
  return Date.parse(instant.iso);
}
