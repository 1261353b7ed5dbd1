import { invalidArgument } from '../errors';
import {
  CREDIT_CATEGORIES,
  SEVERITIES,
  TAX_RATINGS,
  type CreditCategory,
  type CreditRecord,
  type Severity,
  type TaxRating,
} from '../model/credit';

/**
 * Supervision class A/B/C/D from the records public on a date, by a versioned rule set stored on chain so every bank
 * computes the same class from the same data. A rule matches a record by category and, optionally, severities or
 * tax ratings; the class is the worst among matching rules (A when none); every match is listed as a reason. Rules
 * with class null only note a reason (e.g. the red list) without changing the class.
 */
export const SUPERVISION_CLASSES = ['A', 'B', 'C', 'D'] as const;
export type SupervisionClass = (typeof SUPERVISION_CLASSES)[number];

export interface ClassRule {
  readonly id: string;
  readonly class: SupervisionClass | null;
  readonly category: CreditCategory;
  readonly severities: readonly Severity[] | null;
  readonly ratings: readonly TaxRating[] | null;
}

export interface ClassRuleSet {
  readonly version: number;
  readonly rules: readonly ClassRule[];
}

/**
 * The default rule set (version 1), used until a hub admin stores another:
 * - D: on the serious-dishonesty blacklist, or listed as a dishonest judgment debtor;
 * - C: a serious administrative penalty public, an abnormal-operation listing in force, or tax rating D;
 * - B: a general administrative penalty public, or tax rating C or M;
 * - A: otherwise (minor penalties, licences, ratings A/B do not lower the class);
 * - the red list is noted as a reason.
 */
export const DEFAULT_CLASS_RULES: ClassRuleSet = {
  version: 1,
  rules: [
    { id: 'BLACKLIST', class: 'D', category: 'BLACKLIST', severities: null, ratings: null },
    { id: 'DISHONEST_DEBTOR', class: 'D', category: 'DISHONEST_DEBTOR', severities: null, ratings: null },
    { id: 'SERIOUS_PENALTY', class: 'C', category: 'ADMIN_PENALTY', severities: ['SERIOUS'], ratings: null },
    { id: 'ABNORMAL_OPERATION', class: 'C', category: 'ABNORMAL_OPERATION', severities: null, ratings: null },
    { id: 'TAX_RATING_D', class: 'C', category: 'TAX_RATING', severities: null, ratings: ['D'] },
    { id: 'GENERAL_PENALTY', class: 'B', category: 'ADMIN_PENALTY', severities: ['GENERAL'], ratings: null },
    { id: 'TAX_RATING_C_M', class: 'B', category: 'TAX_RATING', severities: null, ratings: ['C', 'M'] },
    { id: 'REDLIST', class: null, category: 'REDLIST', severities: null, ratings: null },
  ],
};

export interface ClassReason {
  readonly rule: string;
  readonly class: SupervisionClass | null;
  readonly recordId: string;
  readonly category: CreditCategory;
}

export interface ClassVerdict {
  readonly class: SupervisionClass;
  readonly reasons: readonly ClassReason[];
}

function matches(rule: ClassRule, record: CreditRecord): boolean {
  if (rule.category !== record.category) return false;
  if (rule.severities !== null && !rule.severities.includes(record.severity)) return false;
  if (rule.ratings !== null && (record.rating === null || !rule.ratings.includes(record.rating))) return false;
  return true;
}

/** `records` must already be the ones public on the query date; order of reasons follows records, then rules. */
export function classify(ruleSet: ClassRuleSet, records: readonly CreditRecord[]): ClassVerdict {
  let worst: SupervisionClass = 'A';
  const reasons: ClassReason[] = [];
  for (const record of records) {
    for (const rule of ruleSet.rules) {
      if (!matches(rule, record)) continue;
      // Fields in sorted order, the order serialisation writes them in (so it need not copy the object).
      reasons.push({ category: record.category, class: rule.class, recordId: record.recordId, rule: rule.id });
      if (rule.class !== null && rule.class > worst) worst = rule.class;
    }
  }
  return { class: worst, reasons };
}

function optionalList<T extends string>(value: unknown, allowed: readonly T[], field: string): readonly T[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => !allowed.includes(v as T)))
    throw invalidArgument(`${field} must be a non-empty array of ${allowed.join('|')}`, { field });
  return [...new Set(value as T[])].sort();
}

/** Validates a rule set from a transaction argument (already parsed JSON). */
export function parseClassRuleSet(value: Record<string, unknown>): ClassRuleSet {
  const version = value['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw invalidArgument('version must be a positive integer', { field: 'version' });
  const rules = value['rules'];
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > 100)
    throw invalidArgument('rules must be an array of 1 to 100 rules', { field: 'rules' });
  const ids = new Set<string>();
  const parsed = rules.map((raw: unknown, index): ClassRule => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw invalidArgument('a rule must be an object', { field: `rules[${index}]` });
    const rule = raw as Record<string, unknown>;
    const id = rule['id'];
    if (typeof id !== 'string' || !/^[A-Z0-9_]{1,64}$/.test(id) || ids.has(id))
      throw invalidArgument('rule id must be a unique upper-case identifier', { field: `rules[${index}].id` });
    ids.add(id);
    const cls = rule['class'];
    if (cls !== null && !SUPERVISION_CLASSES.includes(cls as SupervisionClass))
      throw invalidArgument('class must be A|B|C|D or null', { field: `rules[${index}].class` });
    const category = rule['category'];
    if (!CREDIT_CATEGORIES.includes(category as CreditCategory))
      throw invalidArgument('unknown category', { field: `rules[${index}].category`, value: category });
    return {
      id,
      class: cls as SupervisionClass | null,
      category: category as CreditCategory,
      severities: optionalList(rule['severities'], SEVERITIES, `rules[${index}].severities`),
      ratings: optionalList(rule['ratings'], TAX_RATINGS, `rules[${index}].ratings`),
    };
  });
  return { version, rules: parsed };
}
