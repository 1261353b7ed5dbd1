import { ChaincodeRuleError, invalidArgument } from '../errors';
import { isCalendarDate } from './publicity';

/**
 * Input checks shared by the contracts: field presence and shape, and size limits so an oversized payload is
 * refused before it is hashed, verified or stored.
 */
export const MAX_ARGUMENT_BYTES = 16 * 1024;
export const MAX_DOCUMENT_BYTES = 64 * 1024;

export function assertSize(name: string, value: string | Uint8Array, limit: number): void {
  const size = typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.byteLength;
  if (size > limit) {
    throw new ChaincodeRuleError('PAYLOAD_TOO_LARGE', `${name} is ${size} bytes, more than ${limit}`, {
      argument: name,
      size,
      limit,
    });
  }
}

/**
 * Largest reason any transaction records: status changes, amendments, credit repairs and withdrawals, consent
 * revocations, key retirements, agreement revocations (reasons are written to the ledger for good). The gateway accepts
 * 500 characters, which is up to 2,000 bytes of UTF-8 (1,500 in Chinese); one limit, so no reason the gateway accepted
 * is refused by the chain.
 */
export const MAX_RECORDED_REASON_BYTES = 2048;

/** A recorded reason: required, in words, and bounded. */
export function assertReason(reason: string): void {
  if (reason.trim() === '') throw invalidArgument('a reason is required', { field: 'reason' });
  assertSize('reason', reason, MAX_RECORDED_REASON_BYTES);
}

export function requireString(record: Record<string, unknown>, field: string, pattern?: RegExp): string {
  const value = record[field];
  if (typeof value !== 'string' || value === '')
    throw invalidArgument(`${field} must be a non-empty string`, { field });
  if (pattern !== undefined && !pattern.test(value))
    throw invalidArgument(`${field} has the wrong format`, { field, value });
  return value;
}

export function optionalString(record: Record<string, unknown>, field: string): string | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalidArgument(`${field} must be a string or null`, { field });
  return value;
}

export function requireStringArray(record: Record<string, unknown>, field: string, pattern?: RegExp): string[] {
  const value = record[field];
  if (!Array.isArray(value) || value.length === 0 || value.some((item) => typeof item !== 'string')) {
    throw invalidArgument(`${field} must be a non-empty array of strings`, { field });
  }
  const strings = value as string[];
  if (pattern !== undefined) {
    const bad = strings.find((item) => !pattern.test(item));
    if (bad !== undefined)
      throw invalidArgument(`${field} has an element with the wrong format`, { field, value: bad });
  }
  return [...new Set(strings)].sort();
}

export function requireInteger(record: Record<string, unknown>, field: string, min: number, max: number): number {
  const value = record[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(`${field} must be an integer in [${min}, ${max}]`, { field });
  }
  return value;
}

export const REGION_CODE = /^\d{6}$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const HEX_256 = /^[0-9a-f]{64}$/;
export const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function requireDate(record: Record<string, unknown>, field: string): string {
  const value = requireString(record, field, ISO_DATE);
  // Date.parse is lenient (2026-02-30 becomes March 2), so the day is checked against the month's length.
  if (!isCalendarDate(value)) throw invalidArgument(`${field} is not a calendar date`, { field, value });
  return value;
}

export function parsePageSize(text: string): number {
  const size = Number(text);
  if (!Number.isInteger(size) || size < 1 || size > 1000)
    throw invalidArgument('pageSize must be an integer in [1, 1000]', { pageSize: text });
  return size;
}
