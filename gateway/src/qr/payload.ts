import { InvalidIdentifierError, parseLicenseId } from '@certhub/certs-service';
import { QrPayloadError } from './errors';

/*
 * What an e-license's QR code says (DESIGN.md §3): `certhub:1:<licenseId>:<docHash>`. The license ID finds the anchor
 * and the docHash pins the exact document version, which is all a verifier needs; the document itself is too long for
 * a code a phone camera reads reliably. `1` is the payload format version.
 */

export const QR_SCHEME = 'certhub';
export const QR_PAYLOAD_VERSION = 1;
const PREFIX = `${QR_SCHEME}:${QR_PAYLOAD_VERSION}:`;
const DOC_HASH = /^[0-9a-f]{64}$/;
/** Longer than any well-formed payload (a license ID is at most ~100 characters); bounds work on hostile input. */
export const MAX_QR_PAYLOAD_LENGTH = 256;

export interface QrPayload {
  readonly licenseId: string;
  readonly docHash: string;
}

function checkedLicenseId(licenseId: string): void {
  try {
    parseLicenseId(licenseId);
  } catch (error) {
    if (error instanceof InvalidIdentifierError) {
      throw new QrPayloadError('LICENSE_ID', `QR payload names an invalid license ID: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}

function checkedDocHash(docHash: string): void {
  if (!DOC_HASH.test(docHash)) {
    throw new QrPayloadError('DOC_HASH', 'QR payload docHash must be 64 lower-case hex digits (SM3)');
  }
}

/**
 * The QR payload of a license version.
 * @throws QrPayloadError if the license ID or docHash is invalid: a code is never printed for something unverifiable
 */
export function qrPayload(licenseId: string, docHash: string): string {
  checkedLicenseId(licenseId);
  checkedDocHash(docHash);
  return `${PREFIX}${licenseId}:${docHash}`;
}

/**
 * Reads a scanned payload. Surrounding whitespace (scanners often append a newline) is ignored; nothing else is.
 * @throws QrPayloadError naming what is wrong: prefix, version, structure, license ID check characters or docHash
 */
export function parseQrPayload(text: string): QrPayload {
  const payload = text.trim();
  if (payload.length > MAX_QR_PAYLOAD_LENGTH) {
    throw new QrPayloadError('STRUCTURE', `QR payload is longer than ${MAX_QR_PAYLOAD_LENGTH} characters`);
  }
  if (!payload.startsWith(`${QR_SCHEME}:`)) {
    throw new QrPayloadError('PREFIX', `QR payload must start with "${QR_SCHEME}:"`);
  }
  if (!payload.startsWith(PREFIX)) {
    throw new QrPayloadError('VERSION', `QR payload version must be ${QR_PAYLOAD_VERSION}`);
  }
  // The license ID uses dots, never colons, so exactly one colon must separate it from the hash.
  const parts = payload.slice(PREFIX.length).split(':');
  const [licenseId, docHash] = parts;
  if (parts.length !== 2 || licenseId === undefined || docHash === undefined) {
    throw new QrPayloadError('STRUCTURE', 'QR payload must be certhub:1:<licenseId>:<docHash>');
  }
  checkedLicenseId(licenseId);
  checkedDocHash(docHash);
  return { licenseId, docHash };
}

/** Whether `text` is a well-formed QR payload. */
export function isQrPayload(text: string): boolean {
  try {
    parseQrPayload(text);
    return true;
  } catch (error) {
    if (error instanceof QrPayloadError) return false;
    throw error;
  }
}
