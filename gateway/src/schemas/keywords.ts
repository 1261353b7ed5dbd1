import type { ErrorObject, KeywordDefinition } from 'ajv/dist/2020';

/*
 * JSON Schema cannot compare two fields, yet "validFrom must not be after validUntil" belongs with the rest of a
 * body's rules so that it is enforced and published in one place. `x-date-order: [["validFrom", "validUntil"], …]`
 * on an object schema says each pair's second date, when present and not null, is not before its first. The `x-`
 * prefix keeps it a legal OpenAPI 3.1 schema extension.
 */

export const DATE_ORDER_KEYWORD = 'x-date-order';

type FieldPairs = readonly (readonly [string, string])[];

const PAIRS_META_SCHEMA = {
  type: 'array',
  items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 },
};

/** Pointer-safe property name (RFC 6901). */
const escape = (name: string): string => name.replace(/~/g, '~0').replace(/\//g, '~1');

function outOfOrder(pairs: FieldPairs, data: Record<string, unknown>, at: string): Partial<ErrorObject>[] {
  const errors: Partial<ErrorObject>[] = [];
  for (const [earlier, later] of pairs) {
    const from = data[earlier];
    const until = data[later];
    // Shape and format are other keywords' business; only compare two well-formed dates. YYYY-MM-DD sorts as text.
    if (typeof from !== 'string' || typeof until !== 'string') continue;
    if (until < from) {
      errors.push({
        keyword: DATE_ORDER_KEYWORD,
        instancePath: `${at}/${escape(later)}`,
        params: { earlier, later },
        message: `must not be before ${earlier} (${from})`,
      });
    }
  }
  return errors;
}

type PairErrors = (pairs: FieldPairs, data: Record<string, unknown>, at: string) => Partial<ErrorObject>[];

/** An Ajv keyword over an object whose value lists field pairs; `findErrors` says which pairs break the rule. */
function fieldPairKeyword(keyword: string, findErrors: PairErrors): KeywordDefinition {
  const validate = (
    pairs: FieldPairs,
    data: unknown,
    _parentSchema?: unknown,
    context?: { instancePath: string },
  ): boolean => {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return true;
    const errors = findErrors(pairs, data as Record<string, unknown>, context?.instancePath ?? '');
    validate.errors = errors;
    return errors.length === 0;
  };
  validate.errors = [] as Partial<ErrorObject>[];
  return { keyword, type: 'object', schemaType: 'array', errors: true, metaSchema: PAIRS_META_SCHEMA, validate };
}

export function dateOrderKeyword(): KeywordDefinition {
  return fieldPairKeyword(DATE_ORDER_KEYWORD, outOfOrder);
}

/*
 * `x-distinct: [["acceptingRegion", "issuingRegion"], …]`: the two fields, when both present, must differ (a region
 * does not need an agreement to recognise itself).
 */
export const DISTINCT_KEYWORD = 'x-distinct';

function notDistinct(pairs: FieldPairs, record: Record<string, unknown>, at: string): Partial<ErrorObject>[] {
  return pairs
    .filter(([first, second]) => record[first] !== undefined && record[first] === record[second])
    .map(([first, second]) => ({
      keyword: DISTINCT_KEYWORD,
      instancePath: `${at}/${escape(second)}`,
      params: { first, second },
      message: `must differ from ${first}`,
    }));
}

export function distinctKeyword(): KeywordDefinition {
  return fieldPairKeyword(DISTINCT_KEYWORD, notDistinct);
}
