import { PemError } from './errors';

/** One armoured block of a PEM text (RFC 7468). */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Every PEM block in `text`, in order. Strict where it matters: labels must match, the body must be
 * canonical base64 (it re-encodes to itself), and RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`) are
 * refused because this code never decrypts keys.
 */
export function decodePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const [, label = '', body = '', endLabel = ''] = match;
    if (label !== endLabel) {
      throw new PemError(`BEGIN ${label} closed by END ${endLabel}`, { label, endLabel });
    }
    if (body.includes(':')) {
      throw new PemError(`encrypted or header-carrying ${label} blocks are not supported`, { label });
    }
    const compact = body.replace(/\s+/g, '');
    if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64_BODY.test(compact)) {
      throw new PemError(`body of ${label} is not valid base64`, { label });
    }
    const der = Buffer.from(compact, 'base64');
    if (der.toString('base64') !== compact) {
      throw new PemError(`body of ${label} is not canonical base64`, { label });
    }
    blocks.push({ label, der: new Uint8Array(der) });
  }
  if (blocks.length === 0) {
    throw new PemError('no -----BEGIN …----- / -----END …----- block found');
  }
  return blocks;
}

/**
 * The single block among `text`'s blocks whose label is one of `labels`. Other blocks (OpenSSL's
 * `EC PARAMETERS` before an `EC PRIVATE KEY`) are skipped; none or several matches is an error.
 */
export function decodePemOf(text: string, labels: readonly string[]): PemBlock {
  const blocks = decodePemBlocks(text);
  const matching = blocks.filter((block) => labels.includes(block.label));
  const [only] = matching;
  if (only === undefined) {
    throw new PemError(`expected a ${labels.join(' or ')} block, found ${blocks.map((b) => b.label).join(', ')}`, {
      expected: labels,
      found: blocks.map((b) => b.label),
    });
  }
  if (matching.length > 1) {
    throw new PemError(`${matching.length} ${labels.join('/')} blocks where one was expected`, { expected: labels });
  }
  return only;
}

/** PEM armour with 64-character lines and a final newline, as OpenSSL writes it. */
export function encodePem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
