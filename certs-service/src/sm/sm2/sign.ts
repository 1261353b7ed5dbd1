import { bytesToBigint } from './der';
import { ZCache, idBytes, messageDigest, type Sm2Id } from './distinguishing-id';
import { nativeEngine } from './engine';
import { jsSignDigest, jsSigningKey, jsVerifyDigest, type JsSigningKey } from './js-engine';
import { Sm2PrivateKey, Sm2PublicKey, privateKeyScalar, publicKeyPoint } from './keys';
import { decodeSignature, encodeSignature, signatureFormat, type Sm2SignatureFormat } from './signature-encoding';
import { verificationPoint } from './verification-tables';
import type { NativeSm2, NativeSm2Handle } from './native-binding';
import { SM2_SCALAR_BYTES } from './curve';

export interface Sm2SignOptions {
  /** Distinguishing ID (UTF-8 if a string); defaults to SM2_DEFAULT_ID. */
  id?: Sm2Id;
  /** 'der' (default, SEQUENCE { r, s }) or 'raw' (64 bytes r || s). */
  format?: Sm2SignatureFormat;
}

export type Sm2VerifyOptions = Sm2SignOptions;

// Per-key work done once and kept with the key object: Z per ID, (1+d)^-1, the native OpenSSL handle.
interface SignerState {
  readonly z: ZCache;
  js?: JsSigningKey;
  native?: NativeSm2Handle;
}
interface VerifierState {
  readonly z: ZCache;
  native?: NativeSm2Handle;
}
const signers = new WeakMap<Sm2PrivateKey, SignerState>();
const verifiers = new WeakMap<Sm2PublicKey, VerifierState>();

function signerState(key: Sm2PrivateKey): SignerState {
  let state = signers.get(key);
  if (state === undefined) {
    state = { z: new ZCache(key.publicKey.point) };
    signers.set(key, state);
  }
  return state;
}

// Callers often re-parse the same issuer key (from a certificate) for every verification. The verifier
// state is therefore also shared by public point across key objects, for the most recently used keys, so a
// re-parsed key still finds its Z values and its native OpenSSL handle.
const MAX_SHARED_VERIFIERS = 256;
const sharedVerifiers = new Map<string, VerifierState>();

function verifierState(key: Sm2PublicKey): VerifierState {
  let state = verifiers.get(key);
  if (state === undefined) {
    const pointId = Buffer.from(key.point).toString('latin1');
    state = sharedVerifiers.get(pointId);
    if (state === undefined) {
      state = { z: new ZCache(key.point) };
      sharedVerifiers.set(pointId, state);
      if (sharedVerifiers.size > MAX_SHARED_VERIFIERS) {
        const oldest = sharedVerifiers.keys().next();
        if (oldest.done !== true) {
          sharedVerifiers.delete(oldest.value);
        }
      }
    }
    verifiers.set(key, state);
  }
  return state;
}

function messageBytes(message: Uint8Array | string): Uint8Array {
  return typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
}

function nativeSign(native: NativeSm2, key: Sm2PrivateKey, id: Uint8Array, message: Uint8Array): Uint8Array {
  const state = signerState(key);
  if (state.native === undefined) {
    const d = key.scalar();
    state.native = native.createSigner(d, key.publicKey.point);
    d.fill(0);
  }
  return native.sign(state.native, id, message);
}

/**
 * SM2 signature of `message` (GB/T 32918.2 with SM3): e = SM3(Z_A || M), Z_A from the ID and the public key.
 * DER `SEQUENCE { r, s }` by default, or 64 raw bytes r || s with `format: 'raw'`.
 */
export function sm2Sign(key: Sm2PrivateKey, message: Uint8Array | string, options: Sm2SignOptions = {}): Uint8Array {
  const format = signatureFormat(options.format);
  const id = idBytes(options.id);
  const data = messageBytes(message);
  const native = nativeEngine();
  if (native !== undefined) {
    const raw = nativeSign(native, key, id, data);
    // Re-encode through the range check: the native side's output is trusted no further than any input.
    return encodeSignature(decodeSignature(raw, 'raw'), format);
  }
  const state = signerState(key);
  state.js ??= jsSigningKey(privateKeyScalar(key));
  const e = bytesToBigint(messageDigest(state.z.get(id), data));
  return encodeSignature(jsSignDigest(state.js, e), format);
}

/** What a verification needs, prepared the same way for the synchronous and the thread-pool route. */
interface PreparedVerification {
  readonly state: VerifierState;
  readonly id: Uint8Array;
  readonly data: Uint8Array;
  readonly value: ReturnType<typeof decodeSignature>;
  readonly raw: () => Uint8Array;
}

function prepareVerification(
  key: Sm2PublicKey,
  message: Uint8Array | string,
  signature: Uint8Array,
  options: Sm2VerifyOptions,
): PreparedVerification {
  const format = signatureFormat(options.format);
  const value = decodeSignature(signature, format);
  return {
    state: verifierState(key),
    id: idBytes(options.id),
    data: messageBytes(message),
    value,
    raw: () =>
      format === 'raw' && signature.length === 2 * SM2_SCALAR_BYTES ? signature : encodeSignature(value, 'raw'),
  };
}

function jsVerify(key: Sm2PublicKey, prepared: PreparedVerification): boolean {
  const e = bytesToBigint(messageDigest(prepared.state.z.get(prepared.id), prepared.data));
  return jsVerifyDigest(verificationPoint(key.point, publicKeyPoint(key)), e, prepared.value);
}

/**
 * Whether `signature` is a valid SM2 signature of `message` by `key` under the ID. A well-formed signature
 * that does not verify (other message, key or ID) is `false`; a malformed one throws Sm2SignatureFormatError.
 */
export function sm2Verify(
  key: Sm2PublicKey,
  message: Uint8Array | string,
  signature: Uint8Array,
  options: Sm2VerifyOptions = {},
): boolean {
  const prepared = prepareVerification(key, message, signature, options);
  const native = nativeEngine();
  if (native === undefined) return jsVerify(key, prepared);
  prepared.state.native ??= native.createVerifier(key.point);
  return native.verify(prepared.state.native, prepared.id, prepared.data, prepared.raw());
}

/**
 * sm2Verify with the curve arithmetic on libuv's thread pool when the native engine is loaded, so a busy event loop
 * is not held for it; the same answers (a malformed signature rejects with Sm2SignatureFormatError). With the
 * pure-JS engine it verifies at once and resolves with the answer.
 */
export async function sm2VerifyAsync(
  key: Sm2PublicKey,
  message: Uint8Array | string,
  signature: Uint8Array,
  options: Sm2VerifyOptions = {},
): Promise<boolean> {
  const prepared = prepareVerification(key, message, signature, options);
  const native = nativeEngine();
  if (native === undefined) return jsVerify(key, prepared);
  prepared.state.native ??= native.createVerifier(key.point);
  return native.verifyAsync(prepared.state.native, prepared.id, prepared.data, prepared.raw());
}
