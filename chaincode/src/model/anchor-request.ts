import { canonicalize, parseLicenseId, sm3Hex } from '@certhub/certs-service';
import type { Context } from 'fabric-contract-api';
import { invalidArgument } from '../errors';
import {
  BASE64,
  HEX_256,
  MAX_DOCUMENT_BYTES,
  assertSize,
  optionalString,
  requireDate,
  requireString,
} from '../rules/input';
import { parseJsonArgument, readRequest, serialize } from '../serialization';

/**
 * What an anchoring transaction receives. The signed document's canonical bytes (without `proof`) travel as transient
 * data under `document`, so a person holder's ID number reaches the endorsing peer but is never written to a block;
 * the arguments carry only the signature, the signer certificate and the holder reference.
 */
export const DOCUMENT_TRANSIENT_KEY = 'document';

/** The fields of a license document the chaincode needs (DESIGN.md §3); the rest is hashed, never read. */
export interface DocumentFacts {
  readonly bytes: Uint8Array;
  readonly docHash: string;
  readonly licenseId: string;
  readonly version: number;
  readonly previous: string | null;
  readonly typeCode: string;
  readonly issuer: string;
  readonly region: string;
  readonly holderIdType: string;
  /** The holder's ID as written in the document; compared, never stored (a resident ID is personal data). */
  readonly holderId: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
}

export interface SignedAnchorRequest {
  readonly holderRef: string;
  /** The document's `proof.created` (ISO 8601 UTC with milliseconds, as `Date.toISOString` writes it), if given. */
  readonly signedAt: string | null;
  readonly signature: Uint8Array;
  readonly certificatePem: string;
}

export function readDocument(ctx: Context): DocumentFacts {
  const bytes = ctx.stub.getTransient().get(DOCUMENT_TRANSIENT_KEY);
  if (bytes === undefined || bytes.length === 0) {
    throw invalidArgument(
      `The signed document's canonical bytes must be passed as transient data "${DOCUMENT_TRANSIENT_KEY}"`,
    );
  }
  assertSize('document', bytes, MAX_DOCUMENT_BYTES);
  const document = parseJsonArgument('document', Buffer.from(bytes).toString('utf8'));
  if ('proof' in document)
    throw invalidArgument('The anchored bytes are the document without its proof', { field: 'proof' });
  // docHash is defined over the RFC 8785 canonical form; other bytes for the same JSON would anchor a hash no verifier
  // can recompute from the document.
  if (canonicalize(document) !== Buffer.from(bytes).toString('utf8')) {
    throw invalidArgument('The document bytes are not in RFC 8785 canonical form', { field: 'document' });
  }
  const type = objectField(document, 'type');
  const issuer = objectField(document, 'issuer');
  const holder = objectField(document, 'holder');
  const licenseId = requireString(document, 'licenseId');
  const parsed = parseLicenseId(licenseId);
  const version = document['version'];
  if (version !== parsed.version) throw invalidArgument('version does not match the license ID', { field: 'version' });
  const facts: DocumentFacts = {
    bytes,
    docHash: sm3Hex(bytes),
    licenseId,
    version: parsed.version,
    previous: optionalString(document, 'previous'),
    typeCode: requireString(type, 'code'),
    issuer: requireString(issuer, 'code'),
    region: requireString(issuer, 'region'),
    holderIdType: requireString(holder, 'idType'),
    holderId: requireString(holder, 'id'),
    validFrom: requireDate(document, 'validFrom'),
    validUntil: document['validUntil'] === null ? null : requireDate(document, 'validUntil'),
  };
  if (facts.typeCode !== parsed.typeCode)
    throw invalidArgument('type.code does not match the license ID', { field: 'type.code' });
  if (facts.issuer !== parsed.issuerUscc)
    throw invalidArgument('issuer.code does not match the license ID', { field: 'issuer.code' });
  if (facts.validUntil !== null && facts.validUntil < facts.validFrom) {
    throw invalidArgument('validUntil is before validFrom', { field: 'validUntil' });
  }
  return facts;
}

/** The signature (base64 DER SM2) and signer certificate (PEM) of a signed request. */
export function readSignature(request: Record<string, unknown>): {
  readonly signature: Uint8Array;
  readonly certificatePem: string;
} {
  return {
    signature: Buffer.from(requireString(request, 'signature', BASE64), 'base64'),
    certificatePem: requireString(request, 'certificate'),
  };
}

export function readSignedRequest(
  requestJson: string,
): SignedAnchorRequest & { readonly request: Record<string, unknown> } {
  const request = readRequest(requestJson);
  return {
    request,
    holderRef: requireString(request, 'holderRef'),
    signedAt: readSignedAt(request),
    ...readSignature(request),
  };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * `signedAt` of a request: absent or null → null; otherwise a real instant in `toISOString` form, compared as text by
 * verifiers, so only one spelling of each instant is accepted.
 */
export function readSignedAt(request: Record<string, unknown>): string | null {
  const value = request['signedAt'];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !ISO_INSTANT.test(value) || new Date(value).toISOString() !== value) {
    throw invalidArgument('signedAt must be an ISO 8601 UTC instant like 2026-11-21T08:30:00.000Z', {
      field: 'signedAt',
    });
  }
  return value;
}

/**
 * The holder reference stored on chain: an enterprise by its USCC (public by law), a person only by HMAC-SM3 of the ID
 * number under the gateways' key (64 hex), which the chaincode cannot recompute and so only checks for form.
 */
export function assertHolderRef(facts: DocumentFacts, holderRef: string): void {
  if (facts.holderIdType === '001') {
    if (holderRef !== facts.holderId)
      throw invalidArgument('holderRef of an enterprise holder is its USCC', { field: 'holderRef' });
  } else if (!HEX_256.test(holderRef)) {
    throw invalidArgument('holderRef of a person is the hex HMAC-SM3 of the ID number', { field: 'holderRef' });
  }
}

/** The exact bytes an issuer signs to anchor a batch: the sorted-key JSON of its header. */
export function batchSigningBytes(header: {
  batchId: string;
  issuer: string;
  root: string;
  count: number;
}): Uint8Array {
  return Buffer.from(
    serialize({ batchId: header.batchId, count: header.count, issuer: header.issuer, root: header.root }),
    'utf8',
  );
}

function objectField(record: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = record[field];
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw invalidArgument(`${field} must be an object`, { field });
  return value as Record<string, unknown>;
}
