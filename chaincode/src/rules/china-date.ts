/**
 * China Standard Time is UTC+8 all year. The chain counts days in China's calendar wherever a date decides something
 * (consent expiry, credit publicity and repair, recognition, license expiry), as the gateway and its pages do.
 */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The China calendar date (YYYY-MM-DD) of an instant: for a transaction, of its own timestamp. */
export function chinaDateOf(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}
