/** Japan Standard Time is UTC+9 all year (no daylight saving time). */
const JST_OFFSET_MS = 9 * 3_600_000;

/**
 * The Japanese calendar day (YYYY-MM-DD) of an instant: operators count in JST. Asked on every
 * request, so plain arithmetic rather than an Intl.DateTimeFormat (~1 % of a request's CPU).
 */
export function jstDay(at: Date): string {
  return new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Every day from `from` to `to` inclusive (YYYY-MM-DD strings). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** The day before `day` (YYYY-MM-DD). */
export function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** The API feature a route template belongs to: `/v1/notices/:id` → `notices`; null outside /v1. */
export function featureOf(route: string): string | null {
  const match = /^\/v1\/([a-z0-9-]+)/.exec(route);
  return match ? match[1] : null;
}
