import type { Static, TSchema } from '@sinclair/typebox';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import type { RequestHandler } from 'express';
import { RequestValidationError, type ValidationIssue, type ValidationLocation } from './errors';
import { explainFormatFailure, identifierFormats, isCalendarDate, isDateTime, isIdentifierFormat } from './formats';
import { dateOrderKeyword, distinctKeyword } from './keywords';

/*
 * One Ajv (JSON Schema 2020-12, the dialect OpenAPI 3.1 uses) for every schema in schemas/, so what the edge enforces
 * is exactly what GET /openapi.json publishes. Ajv's raw errors are reworded here into one issue per failing field,
 * each with the JSON pointer of that field.
 */

const ajv = new Ajv2020({
  allErrors: true,
  strict: true,
  // Nullable values are written `type: ["string", "null"]`, the 2020-12 idiom, rather than anyOf.
  allowUnionTypes: true,
  // oneOf/then branches that only say which properties are required (`{required: [...]}`) are deliberate.
  strictRequired: false,
  verbose: true,
  formats: {
    ...identifierFormats(),
    date: { type: 'string', validate: isCalendarDate },
    'date-time': { type: 'string', validate: isDateTime },
  },
});
ajv.addKeyword(dateOrderKeyword());
ajv.addKeyword(distinctKeyword());

const compiled = new WeakMap<TSchema, ValidateFunction>();

function compile(schema: TSchema): ValidateFunction {
  let validator = compiled.get(schema);
  if (validator === undefined) {
    validator = ajv.compile(schema);
    compiled.set(schema, validator);
  }
  return validator;
}

const escapePointer = (name: string): string => name.replace(/~/g, '~0').replace(/\//g, '~1');

function quoted(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function param(error: ErrorObject, name: string): unknown {
  return (error.params as Record<string, unknown>)[name];
}

/** The branches of a failed oneOf whose members are all `{required: [...]}`: the alternatives a client must pick from. */
function requiredAlternatives(error: ErrorObject): string[] | undefined {
  const branches: unknown = error.schema;
  if (!Array.isArray(branches)) return undefined;
  const names: string[] = [];
  for (const branch of branches as unknown[]) {
    if (typeof branch !== 'object' || branch === null || !('required' in branch)) return undefined;
    const required: unknown = branch.required;
    if (!Array.isArray(required)) return undefined;
    names.push(required.map(String).join(' + '));
  }
  return names;
}

function issueFor(error: ErrorObject): ValidationIssue {
  const at = error.instancePath;
  switch (error.keyword) {
    case 'required':
      return { pointer: `${at}/${escapePointer(String(param(error, 'missingProperty')))}`, message: 'is required' };
    case 'additionalProperties':
      return {
        pointer: `${at}/${escapePointer(String(param(error, 'additionalProperty')))}`,
        message: 'is not a known field',
      };
    case 'format': {
      const format = String(param(error, 'format'));
      if (isIdentifierFormat(format)) return { pointer: at, message: explainFormatFailure(format, error.data) };
      if (format === 'date') return { pointer: at, message: 'must be a calendar date YYYY-MM-DD' };
      if (format === 'date-time') return { pointer: at, message: 'must be an RFC 3339 date-time with offset' };
      return { pointer: at, message: `must match format ${format}` };
    }
    case 'enum':
      return { pointer: at, message: `must be one of ${quoted(param(error, 'allowedValues') as unknown[])}` };
    case 'const':
      return { pointer: at, message: `must be ${JSON.stringify(param(error, 'allowedValue'))}` };
    case 'type': {
      const type = param(error, 'type');
      return { pointer: at, message: `must be ${Array.isArray(type) ? type.join(' or ') : String(type)}` };
    }
    case 'dependentRequired':
      return {
        pointer: `${at}/${escapePointer(String(param(error, 'missingProperty')))}`,
        message: `is required when ${String(param(error, 'property'))} is given`,
      };
    case 'false schema':
      return { pointer: at, message: 'is not allowed here' };
    case 'oneOf': {
      const alternatives = requiredAlternatives(error);
      if (alternatives !== undefined) {
        return { pointer: at, message: `must contain exactly one of: ${alternatives.join(' | ')}` };
      }
      return { pointer: at, message: 'must match exactly one of the allowed shapes' };
    }
    default:
      return { pointer: at, message: error.message ?? `fails ${error.keyword}` };
  }
}

/** Errors that only restate a more precise one: `if` (its `then` failure is reported) and the branches of a oneOf of required-sets. */
function isNoise(error: ErrorObject, all: readonly ErrorObject[]): boolean {
  if (error.keyword === 'if') return true;
  if (error.keyword !== 'required') return false;
  return all.some(
    (other) =>
      other.keyword === 'oneOf' &&
      requiredAlternatives(other) !== undefined &&
      error.schemaPath.startsWith(`${other.schemaPath}/`),
  );
}

function issuesOf(errors: readonly ErrorObject[]): ValidationIssue[] {
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    if (isNoise(error, errors)) continue;
    const issue = issueFor(error);
    const key = `${issue.pointer}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/** Every way `value` fails `schema`, one issue per field; empty when it conforms. */
export function validationIssues(schema: TSchema, value: unknown): ValidationIssue[] {
  const validator = compile(schema);
  if (validator(value)) return [];
  return issuesOf(validator.errors ?? []);
}

/** Whether `value` conforms to `schema`, narrowing its type. */
export function conforms<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  return compile(schema)(value);
}

/**
 * Checks `value` against `schema` and returns it typed.
 * @throws RequestValidationError (VALIDATION_FAILED) naming each failing field by JSON pointer
 */
export function validate<T extends TSchema>(
  schema: T,
  value: unknown,
  location: ValidationLocation = 'body',
): Static<T> {
  if (conforms(schema, value)) return value;
  const validator = compile(schema);
  throw new RequestValidationError(location, issuesOf(validator.errors ?? []));
}

export interface RequestSchemas {
  readonly params?: TSchema;
  readonly query?: TSchema;
  readonly body?: TSchema;
}

/**
 * Express middleware that checks path parameters, query and body before the handler runs (in that order: a bad
 * license ID in the path is reported before anything about the body). Handlers read the values with `validate`'s
 * types or trust them as checked.
 */
export function validateRequest(schemas: RequestSchemas): RequestHandler {
  // Compile at route declaration, so a schema Ajv refuses fails at start-up rather than on the first request.
  for (const schema of [schemas.params, schemas.query, schemas.body]) if (schema !== undefined) compile(schema);
  return (req, _res, next) => {
    if (schemas.params !== undefined) validate(schemas.params, { ...req.params }, 'params');
    if (schemas.query !== undefined) validate(schemas.query, { ...(req.query as Record<string, unknown>) }, 'query');
    if (schemas.body !== undefined) validate(schemas.body, req.body, 'body');
    next();
  };
}
