import type { CreditCategory, CreditRecord, PenaltyDomain, Severity } from '../model/credit';

/**
 * Publicity periods and credit repair for credit records, by the national rules (issue 6). Pure functions over
 * YYYY-MM-DD dates: the caller passes the transaction's date, never the clock.
 *
 * Periods are counted as in the Civil Code art. 201–203: the decision day is not counted, and a period of n months
 * ends on the corresponding day of the n-th month after it, or on that month's last day when it has no such day
 * (decision 2026-08-31 + 3 months → 2026-11-30). "publicUntil" is that last day, inclusive.
 */
export interface PublicityPeriod {
  readonly minimumMonths: number;
  readonly maximumMonths: number;
}

/** Administrative penalties by severity: minor at most 3 months (may be unpublished), general 3–12, serious 12–36. */
const BY_SEVERITY: Readonly<Record<Severity, PublicityPeriod>> = {
  MINOR: { minimumMonths: 0, maximumMonths: 3 },
  GENERAL: { minimumMonths: 3, maximumMonths: 12 },
  SERIOUS: { minimumMonths: 12, maximumMonths: 36 },
};

/** Work safety, fire and special equipment penalties stay public at least one year, whatever the severity. */
const SAFETY_DOMAINS: readonly PenaltyDomain[] = ['WORK_SAFETY', 'FIRE', 'SPECIAL_EQUIPMENT'];
const SAFETY_MINIMUM_MONTHS = 12;

/** One penalty type of a decision. */
export function penaltyPeriod(severity: Severity, domain: PenaltyDomain): PublicityPeriod {
  const base = BY_SEVERITY[severity];
  if (!SAFETY_DOMAINS.includes(domain)) return base;
  const minimumMonths = Math.max(base.minimumMonths, SAFETY_MINIMUM_MONTHS);
  return { minimumMonths, maximumMonths: Math.max(base.maximumMonths, minimumMonths) };
}

/** A decision with several penalty types is public for the longest of their periods (minimum and maximum). */
export function decisionPeriod(severity: Severity, domains: readonly PenaltyDomain[]): PublicityPeriod {
  const periods = (domains.length === 0 ? (['OTHER'] as const) : domains).map((d) => penaltyPeriod(severity, d));
  return {
    minimumMonths: Math.max(...periods.map((p) => p.minimumMonths)),
    maximumMonths: Math.max(...periods.map((p) => p.maximumMonths)),
  };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: string): [number, number, number] {
  const match = DATE.exec(date);
  if (match === null) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * Whether a YYYY-MM-DD string names a real day. Date.parse is lenient in V8 (2026-02-30 becomes March 2), so the
 * day is checked against the month's length.
 */
export function isCalendarDate(date: string): boolean {
  const match = DATE.exec(date);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function format(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The corresponding day n months later, or that month's last day (Civil Code art. 203). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = parts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return format(targetYear, targetMonth, Math.min(day, lastDay));
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = parts(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export interface PublicityWindow {
  /** Last day of the minimum period; a repair may be recorded from the next day. */
  readonly minimumUntil: string;
  /** Last day public; null when the record stays in force until repaired (removed) or withdrawn. */
  readonly publicUntil: string | null;
}

/**
 * The window of a new record. Penalties follow the periods above. Licences, ratings and list entries carry their own
 * end (`validUntil`, e.g. a rating year or a listing term) or none; they have no minimum period, so the source may
 * record a removal (repair) from the decision day.
 */
export function publicityWindow(
  category: CreditCategory,
  severity: Severity,
  domains: readonly PenaltyDomain[],
  decisionDate: string,
  validUntil: string | null,
): PublicityWindow {
  if (category !== 'ADMIN_PENALTY') return { minimumUntil: addDays(decisionDate, -1), publicUntil: validUntil };
  const period = decisionPeriod(severity, domains);
  return {
    minimumUntil: addMonths(decisionDate, period.minimumMonths),
    publicUntil: addMonths(decisionDate, period.maximumMonths),
  };
}

/** A repair may be recorded once the minimum period has passed, and only while the record is active. */
export function mayRepairOn(record: Pick<CreditRecord, 'minimumUntil' | 'status'>, date: string): boolean {
  return record.status === 'ACTIVE' && date > record.minimumUntil;
}

/**
 * Whether a record is public on `date`: from its decision day to publicUntil (inclusive), and before the day it was
 * repaired or withdrawn. A withdrawal removes it from profiles on and after that day; its history stays.
 */
export function isPublicOn(
  record: Pick<CreditRecord, 'decisionDate' | 'publicUntil' | 'repairedOn' | 'withdrawnOn'>,
  date: string,
): boolean {
  if (date < record.decisionDate) return false;
  if (record.publicUntil !== null && date > record.publicUntil) return false;
  if (record.repairedOn !== null && date >= record.repairedOn) return false;
  if (record.withdrawnOn !== null && date >= record.withdrawnOn) return false;
  return true;
}
