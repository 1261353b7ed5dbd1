import { EC_PUBLIC_KEY_OID, SM2_CURVE_OID, SM2_SCALAR_BYTES } from './curve';
import {
  DER_TAG,
  DerReader,
  bigintToBytes,
  bytesToBigint,
  derBitString,
  derExplicit,
  derOctetString,
  derOid,
  derSequence,
  derUnsignedInteger,
} from './der';
import { DerError, Sm2KeyError } from './errors';

// The ASN.1 structures SM2 keys travel in, exactly as OpenSSL 3 reads and writes them:
//   SPKI   (RFC 5280/5480):  SEQUENCE { SEQUENCE { id-ecPublicKey, namedCurve }, BIT STRING point }
//   PKCS#8 (RFC 5208/5958):  SEQUENCE { INTEGER 0|1, SEQUENCE { id-ecPublicKey, namedCurve }, OCTET STRING ECPrivateKey, [0] attrs?, [1] pub? }
//   SEC1   (RFC 5915):       SEQUENCE { INTEGER 1, OCTET STRING d, [0] namedCurve?, [1] BIT STRING point? }
// Parsing only extracts bytes and checks the curve; the key classes check the values.

/** A private key as found in PKCS#8 or SEC1: the scalar and, when the encoding carries it, the public point. */
export interface DecodedPrivateKey {
  readonly d: bigint;
  readonly publicPoint: Uint8Array | undefined;
}

function ecAlgorithm(): Uint8Array {
  return derSequence(derOid(EC_PUBLIC_KEY_OID), derOid(SM2_CURVE_OID));
}

/** Reads AlgorithmIdentifier { id-ecPublicKey, namedCurve } and insists the curve is SM2. */
function readEcAlgorithm(reader: DerReader): void {
  const algorithm = reader.sequence('AlgorithmIdentifier');
  const algorithmOid = algorithm.oid('algorithm OID');
  if (algorithmOid !== EC_PUBLIC_KEY_OID) {
    throw new Sm2KeyError('wrong algorithm: not an elliptic-curve key', { algorithm: algorithmOid });
  }
  readNamedCurve(algorithm);
  algorithm.expectEnd('AlgorithmIdentifier');
}

function readNamedCurve(reader: DerReader): void {
  if (reader.peekTag() !== DER_TAG.OID) {
    // Explicit ECParameters (a SEQUENCE) or implicitCA (NULL): not something OpenSSL writes for SM2.
    throw new Sm2KeyError('wrong curve: only the named SM2 curve is accepted, not explicit parameters', {
      tag: reader.peekTag(),
    });
  }
  const curve = reader.oid('namedCurve');
  if (curve !== SM2_CURVE_OID) {
    throw new Sm2KeyError('wrong curve', { curve, expected: SM2_CURVE_OID });
  }
}

export function encodeSpki(publicPoint: Uint8Array): Uint8Array {
  return derSequence(ecAlgorithm(), derBitString(publicPoint));
}

/** The encoded public point of an SPKI structure, after checking it is an SM2 key. */
export function decodeSpki(der: Uint8Array): Uint8Array {
  const outer = DerReader.of(der);
  const spki = outer.sequence('SubjectPublicKeyInfo');
  readEcAlgorithm(spki);
  const point = spki.bitStringBytes('subjectPublicKey');
  spki.expectEnd('SubjectPublicKeyInfo');
  outer.expectEnd('SubjectPublicKeyInfo');
  return point;
}

export function encodeSec1(d: bigint, publicPoint: Uint8Array, withCurve = true): Uint8Array {
  const parts = [derUnsignedInteger(1n), derOctetString(bigintToBytes(d, SM2_SCALAR_BYTES))];
  if (withCurve) {
    parts.push(derExplicit(0, derOid(SM2_CURVE_OID)));
  }
  parts.push(derExplicit(1, derBitString(publicPoint)));
  return derSequence(...parts);
}

/**
 * ECPrivateKey. OpenSSL writes it with the curve and public key, `-no_public` drops the key, and inside
 * PKCS#8 the curve is usually absent (the outer AlgorithmIdentifier names it): all of these are accepted.
 */
export function decodeSec1(der: Uint8Array): DecodedPrivateKey {
  const outer = DerReader.of(der);
  const sec1 = outer.sequence('ECPrivateKey');
  const version = sec1.unsignedInteger('ECPrivateKey version');
  if (version !== 1n) {
    throw new DerError(`ECPrivateKey version ${version}, expected 1`, { version: Number(version) });
  }
  const scalar = sec1.octetString('privateKey');
  if (scalar.length === 0 || scalar.length > SM2_SCALAR_BYTES) {
    throw new Sm2KeyError(`private key is ${scalar.length} bytes, expected at most ${SM2_SCALAR_BYTES}`, {
      length: scalar.length,
    });
  }
  const parameters = sec1.optionalExplicit(0, 'ECPrivateKey parameters');
  if (parameters !== undefined) {
    readNamedCurve(parameters);
    parameters.expectEnd('ECPrivateKey parameters');
  }
  const publicKeyField = sec1.optionalExplicit(1, 'ECPrivateKey publicKey');
  let publicPoint: Uint8Array | undefined;
  if (publicKeyField !== undefined) {
    publicPoint = publicKeyField.bitStringBytes('ECPrivateKey publicKey');
    publicKeyField.expectEnd('ECPrivateKey publicKey');
  }
  sec1.expectEnd('ECPrivateKey');
  outer.expectEnd('ECPrivateKey');
  return { d: bytesToBigint(scalar), publicPoint };
}

export function encodePkcs8(d: bigint, publicPoint: Uint8Array): Uint8Array {
  // Like OpenSSL: the curve lives in the outer AlgorithmIdentifier, the inner ECPrivateKey omits it.
  return derSequence(derUnsignedInteger(0n), ecAlgorithm(), derOctetString(encodeSec1(d, publicPoint, false)));
}

export function decodePkcs8(der: Uint8Array): DecodedPrivateKey {
  const outer = DerReader.of(der);
  const info = outer.sequence('PrivateKeyInfo');
  const version = info.unsignedInteger('PrivateKeyInfo version');
  if (version > 1n) {
    throw new DerError(`PrivateKeyInfo version ${version}, expected 0 or 1`, { version: Number(version) });
  }
  readEcAlgorithm(info);
  const inner = decodeSec1(info.octetString('privateKey'));
  // RFC 5958 optional fields: attributes are irrelevant to signing; a public key must agree with the inner one.
  if (info.peekTag() === 0xa0) {
    info.constructed(0xa0, 'attributes');
  }
  let publicPoint = inner.publicPoint;
  if (info.peekTag() === 0x81) {
    const outerPoint = info.element(0x81, 'OneAsymmetricKey publicKey').content;
    if (outerPoint[0] !== 0) {
      throw new DerError('OneAsymmetricKey publicKey with unused bits');
    }
    const point = outerPoint.subarray(1);
    if (publicPoint !== undefined && !Buffer.from(point).equals(publicPoint)) {
      throw new Sm2KeyError('the two public keys in this PKCS#8 structure differ');
    }
    publicPoint = point;
  }
  info.expectEnd('PrivateKeyInfo');
  outer.expectEnd('PrivateKeyInfo');
  return { d: inner.d, publicPoint };
}

/** PKCS#8 or SEC1, told apart by their first fields (INTEGER 0|1 then SEQUENCE, versus INTEGER 1 then OCTET STRING). */
export function decodePrivateKeyDer(der: Uint8Array): DecodedPrivateKey {
  const probe = DerReader.of(der).sequence('private key');
  probe.unsignedInteger('private key version');
  return probe.peekTag() === DER_TAG.OCTET_STRING ? decodeSec1(der) : decodePkcs8(der);
}
