/** China Standard Time is UTC+8 all year (no daylight saving): the calendar day licenses are dated in. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The calendar date YYYY-MM-DD in China at `instant`. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}
