/**
 * Times as a settlement office reads them: stored in UTC (ISO 8601), shown in the region's time
 * zone (policy `region.time_zone`, default Asia/Shanghai) as local wall-clock time.
 *
 *   localTime('2026-12-01T08:00:41.632Z', 'Asia/Shanghai') → '2026-12-01 16:00:41'
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

/** True when `zone` is a time zone this Node knows (an IANA name such as Asia/Urumqi, or UTC). */
export function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', {timeZone: zone})
    return true
  } catch {
    return false
  }
}

const formats = new Map<string, Intl.DateTimeFormat>()

export function localTime(iso: string, timeZone: string = DEFAULT_TIME_ZONE): string {
  let format = formats.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23'})
    formats.set(timeZone, format)
  }
  const part: Record<string, string> = {}
  for (const {type, value} of format.formatToParts(new Date(iso))) part[type] = value
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`
}
