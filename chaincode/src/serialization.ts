import { sortedKeyJson } from '@certhub/certs-service';
import { invalidArgument } from './errors';
import { MAX_ARGUMENT_BYTES, assertSize } from './rules/input';

/**
 * The one serialiser for everything the chaincode writes or returns: JSON with object keys sorted at every level, so
 * every endorsing peer produces byte-identical write sets and results.
 */
export function serialize(value: unknown): string {
  return sortedKeyJson(value);
}

export function toBytes(value: unknown): Uint8Array {
  return Buffer.from(serialize(value), 'utf8');
}

export function fromBytes(bytes: Uint8Array): unknown {
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
}

/** Freezes a parsed JSON value and everything in it, and returns it: for parses shared by several readers. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}

/** Parses a JSON transaction argument into an object, or fails with INVALID_ARGUMENT naming the argument. */
export function parseJsonArgument(name: string, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidArgument(`${name} is not valid JSON`, { argument: name });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidArgument(`${name} must be a JSON object`, { argument: name });
  }
  return parsed as Record<string, unknown>;
}

/** Parses a transaction's JSON request argument, refusing an oversized one before parsing it. */
export function readRequest(requestJson: string): Record<string, unknown> {
  assertSize('request', requestJson, MAX_ARGUMENT_BYTES);
  return parseJsonArgument('request', requestJson);
}
