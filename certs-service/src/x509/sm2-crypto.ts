// The WebCrypto-shaped object @peculiar/x509 signs and verifies through. WebCrypto has no SM2, so this object answers
// "SM2" itself with the project's SM2 (GB/T 32918, Z computed with the signer's ID) and hands every other algorithm
// (ECDSA P-256 for Fabric identities, SHA-1 for key identifiers, ...) to Node's own webcrypto unchanged.
import { webcrypto } from 'node:crypto';
import { sm3 } from '../sm/sm3';
import { SM2_DEFAULT_ID, Sm2PrivateKey, Sm2PublicKey, sm2Sign, sm2Verify } from '../sm/sm2';
import { CertificateFormatError } from './errors';
import { isSm2Algorithm, SM2_ALGORITHM_NAME, SM3_HASH_NAME, type Sm2KeyAlgorithm } from './sm2-algorithm';

/**
 * The ID certificate signatures are made and checked with. GM/T 0015 practice, and what OpenSSL needs as
 * `-sigopt/-vfyopt distid:1234567812345678` to interoperate.
 */
export const CERTIFICATE_SIGNATURE_ID = SM2_DEFAULT_ID;

type KeyUsage = webcrypto.KeyUsage;

/**
 * A project SM2 key dressed as a WebCrypto CryptoKey: @peculiar/x509 only reads `type`, `algorithm`, `extractable` and
 * `usages` and passes the object back to `subtle`, which unwraps `key`.
 */
export class Sm2CryptoKey {
  readonly algorithm: Sm2KeyAlgorithm = { name: SM2_ALGORITHM_NAME, namedCurve: SM2_ALGORITHM_NAME };
  readonly type: 'private' | 'public';

  constructor(
    readonly key: Sm2PrivateKey | Sm2PublicKey,
    readonly extractable: boolean,
    readonly usages: KeyUsage[],
  ) {
    this.type = key instanceof Sm2PrivateKey ? 'private' : 'public';
  }

  static forSigning(key: Sm2PrivateKey): Sm2CryptoKey {
    return new Sm2CryptoKey(key, false, ['sign']);
  }

  static forVerifying(key: Sm2PublicKey): Sm2CryptoKey {
    return new Sm2CryptoKey(key, true, ['verify']);
  }
}

type Bytes = webcrypto.BufferSource;
type AlgorithmArg = Parameters<webcrypto.SubtleCrypto['sign']>[0];
type ImportAlgorithmArg = Parameters<webcrypto.SubtleCrypto['importKey']>[2];
type DigestAlgorithmArg = Parameters<webcrypto.SubtleCrypto['digest']>[0];
type KeyFormat = webcrypto.KeyFormat;
type NodeKey = webcrypto.CryptoKey;

function bytesOf(data: Bytes): Uint8Array {
  if (data instanceof ArrayBuffer) {
    return new Uint8Array(data);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function copyToArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

function signatureId(algorithm: unknown): string | Uint8Array {
  const id = (algorithm as { id?: unknown }).id;
  return typeof id === 'string' || id instanceof Uint8Array ? id : CERTIFICATE_SIGNATURE_ID;
}

function algorithmName(algorithm: unknown): string | undefined {
  if (typeof algorithm === 'string') {
    return algorithm;
  }
  const name = (algorithm as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

function unsupported(operation: string, detail: string): CertificateFormatError {
  return new CertificateFormatError(`SM2 ${operation}: ${detail}`, { operation });
}

/** The subtle part: SM2 here, everything else delegated to Node. Only the methods @peculiar/x509 and CertHub use. */
class Sm2AwareSubtle {
  readonly #node = webcrypto.subtle;

  async sign(algorithm: AlgorithmArg, key: NodeKey | Sm2CryptoKey, data: Bytes): Promise<ArrayBuffer> {
    if (key instanceof Sm2CryptoKey) {
      if (!(key.key instanceof Sm2PrivateKey) || !isSm2Algorithm(algorithm)) {
        throw unsupported('sign', 'needs an SM2 private key and the SM2 algorithm');
      }
      const raw = sm2Sign(key.key, bytesOf(data), { id: signatureId(algorithm), format: 'raw' });
      return Promise.resolve(copyToArrayBuffer(raw));
    }
    return this.#node.sign(algorithm, key, data);
  }

  async verify(algorithm: AlgorithmArg, key: NodeKey | Sm2CryptoKey, signature: Bytes, data: Bytes): Promise<boolean> {
    if (key instanceof Sm2CryptoKey) {
      if (!(key.key instanceof Sm2PublicKey) || !isSm2Algorithm(algorithm)) {
        throw unsupported('verify', 'needs an SM2 public key and the SM2 algorithm');
      }
      const ok = sm2Verify(key.key, bytesOf(data), bytesOf(signature), {
        id: signatureId(algorithm),
        format: 'raw',
      });
      return Promise.resolve(ok);
    }
    return this.#node.verify(algorithm, key, signature, data);
  }

  async importKey(
    format: KeyFormat,
    keyData: Bytes | webcrypto.JsonWebKey,
    algorithm: ImportAlgorithmArg,
    extractable: boolean,
    usages: KeyUsage[],
  ): Promise<NodeKey | Sm2CryptoKey> {
    if (!isSm2Algorithm(algorithm)) {
      return format === 'jwk'
        ? this.#node.importKey(format, keyData as webcrypto.JsonWebKey, algorithm, extractable, usages)
        : this.#node.importKey(format, keyData as Bytes, algorithm, extractable, usages);
    }
    if (format === 'jwk') {
      throw unsupported('importKey', 'JWK is not supported for SM2');
    }
    const bytes = bytesOf(keyData as Bytes);
    switch (format) {
      case 'spki':
        return Promise.resolve(new Sm2CryptoKey(Sm2PublicKey.fromSpkiDer(bytes), extractable, usages));
      case 'raw':
        return Promise.resolve(new Sm2CryptoKey(Sm2PublicKey.fromPoint(bytes), extractable, usages));
      case 'pkcs8':
        return Promise.resolve(new Sm2CryptoKey(Sm2PrivateKey.fromDer(bytes), extractable, usages));
    }
  }

  async exportKey(format: KeyFormat, key: NodeKey | Sm2CryptoKey): Promise<ArrayBuffer | webcrypto.JsonWebKey> {
    if (!(key instanceof Sm2CryptoKey)) {
      return format === 'jwk' ? this.#node.exportKey(format, key) : this.#node.exportKey(format, key);
    }
    if (!key.extractable) {
      throw unsupported('exportKey', 'the key is not extractable');
    }
    const sm2Key = key.key;
    if (sm2Key instanceof Sm2PublicKey && format === 'spki') {
      return Promise.resolve(copyToArrayBuffer(sm2Key.toSpkiDer()));
    }
    if (sm2Key instanceof Sm2PublicKey && format === 'raw') {
      return Promise.resolve(copyToArrayBuffer(sm2Key.point));
    }
    if (sm2Key instanceof Sm2PrivateKey && format === 'pkcs8') {
      return Promise.resolve(copyToArrayBuffer(sm2Key.toPkcs8Der()));
    }
    throw unsupported('exportKey', `format ${format} does not fit a ${key.type} key`);
  }

  async digest(algorithm: DigestAlgorithmArg, data: Bytes): Promise<ArrayBuffer> {
    // SM3 thumbprints (e.g. X509Certificate.getThumbprint('SM3')) come from the project's SM3.
    if (algorithmName(algorithm)?.toUpperCase() === SM3_HASH_NAME) {
      return Promise.resolve(copyToArrayBuffer(sm3(bytesOf(data))));
    }
    return this.#node.digest(algorithm, data);
  }
}

/** What @peculiar/x509's `cryptoProvider` holds: `subtle` plus the random source it draws serial numbers from. */
export interface Sm2AwareCrypto {
  readonly subtle: Sm2AwareSubtle;
  getRandomValues<T extends Uint8Array>(array: T): T;
}

export function createSm2AwareCrypto(): Sm2AwareCrypto {
  return {
    subtle: new Sm2AwareSubtle(),
    getRandomValues: <T extends Uint8Array>(array: T): T => webcrypto.getRandomValues(array),
  };
}
