// The TypeScript face of the project's SM2 addon (certs-service/native, built by scripts/build-native.sh).
// The addon runs SM2 with the GM/T 0009 distinguishing ID on the OpenSSL that the node binary itself bundles,
// which Node's JS crypto API cannot do. It is optional: when it is not built, or CERTHUB_SM2_ENGINE=js, callers
// get undefined and use the pure-JS engine; CERTHUB_SM2_ENGINE=native makes a missing addon an error instead.
import { debuglog } from 'node:util';
import * as path from 'node:path';
import { CertHubError } from '../../errors';

/** An opaque addon-owned key (an N-API External); freed by the garbage collector. */
export interface NativeSm2Handle {
  readonly __brand: 'NativeSm2Handle';
}

export interface NativeSm2 {
  /** d: 32 bytes big-endian; publicPoint: 65 bytes 04||x||y, which must equal d·G. */
  createSigner(d: Uint8Array, publicPoint: Uint8Array): NativeSm2Handle;
  /** publicPoint: 65 bytes 04||x||y on the SM2 curve. */
  createVerifier(publicPoint: Uint8Array): NativeSm2Handle;
  /** Raw 64-byte r||s over SM3(Z||message), Z computed from id and the signer's public key. */
  sign(signer: NativeSm2Handle, id: Uint8Array, message: Uint8Array): Uint8Array;
  /** rawSignature: 64 bytes r||s. False for any signature that does not verify, including r or s out of range. */
  verify(verifier: NativeSm2Handle, id: Uint8Array, message: Uint8Array, rawSignature: Uint8Array): boolean;
  /**
   * verify on libuv's thread pool: the arguments are checked and copied now, the answer settles later. For a busy
   * event loop (the gateway's POST /v1/verify) the ~0.1 ms of curve arithmetic then runs beside it, not in it.
   */
  verifyAsync(
    verifier: NativeSm2Handle,
    id: Uint8Array,
    message: Uint8Array,
    rawSignature: Uint8Array,
  ): Promise<boolean>;
}

/**
 * The addon's further entry points, for differential tests and the benchmark, not for the engine:
 * sign/verify above run the addon's own curve arithmetic (certs-service/native/src/sm2_fast.c); these run
 * OpenSSL's SM2 through EVP on the same handles, and multiplyBase exposes the k·G comb (k in [1, n-1]).
 */
export interface NativeSm2Diagnostics extends NativeSm2 {
  readonly opensslVersion: string;
  signWithEvp(signer: NativeSm2Handle, id: Uint8Array, message: Uint8Array): Uint8Array;
  verifyWithEvp(verifier: NativeSm2Handle, id: Uint8Array, message: Uint8Array, rawSignature: Uint8Array): boolean;
  multiplyBase(k: Uint8Array): Uint8Array;
}

/** The diagnostic view of a loaded addon, or undefined if this build lacks those entry points. */
export function nativeSm2Diagnostics(native: NativeSm2): NativeSm2Diagnostics | undefined {
  const record = native as unknown as Record<string, unknown>;
  const complete =
    typeof record.opensslVersion === 'string' &&
    ['signWithEvp', 'verifyWithEvp', 'multiplyBase'].every((name) => typeof record[name] === 'function');
  return complete ? (native as NativeSm2Diagnostics) : undefined;
}

/** CERTHUB_SM2_ENGINE=native was requested but the addon cannot be loaded. */
export class NativeSm2UnavailableError extends CertHubError {
  readonly code = 'NATIVE_SM2_UNAVAILABLE';
}

/** CERTHUB_SM2_ENGINE holds something other than 'native', 'js' or nothing. */
export class Sm2EngineSettingError extends CertHubError {
  readonly code = 'INVALID_SM2_ENGINE_SETTING';
}

const debug = debuglog('certhub');

/** Where scripts/build-native.sh puts the addon, seen from certs-service/dist/sm/sm2/. */
export const NATIVE_SM2_ADDON_PATH = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'native',
  'build',
  'Release',
  'certhub_sm2.node',
);

const NATIVE_SM2_FUNCTIONS = ['createSigner', 'createVerifier', 'sign', 'verify', 'verifyAsync'] as const;

// One dlopen per file and process: the outcome (module or failure reason) is kept.
const loaded = new Map<string, NativeSm2 | Error>();

function isNativeSm2(value: unknown): value is NativeSm2 {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return NATIVE_SM2_FUNCTIONS.every((name) => typeof record[name] === 'function');
}

function open(file: string): NativeSm2 | Error {
  const cached = loaded.get(file);
  if (cached !== undefined) return cached;
  let outcome: NativeSm2 | Error;
  try {
    const module = { exports: {} as unknown };
    process.dlopen(module, file);
    outcome = isNativeSm2(module.exports)
      ? module.exports
      : new Error(`${file} does not export ${NATIVE_SM2_FUNCTIONS.join(', ')}`);
  } catch (error) {
    outcome = error instanceof Error ? error : new Error(String(error));
  }
  loaded.set(file, outcome);
  return outcome;
}

/**
 * The addon at `file`, honouring CERTHUB_SM2_ENGINE (read on every call, the load itself happens once):
 * 'js' → undefined without loading; 'native' → the addon or NativeSm2UnavailableError; unset → the addon
 * if it loads, else undefined with one debug line (NODE_DEBUG=certhub shows it).
 */
export function loadNativeSm2From(file: string): NativeSm2 | undefined {
  const setting = process.env.CERTHUB_SM2_ENGINE ?? '';
  if (setting !== '' && setting !== 'js' && setting !== 'native') {
    throw new Sm2EngineSettingError(`CERTHUB_SM2_ENGINE must be 'native' or 'js', not '${setting}'`, { setting });
  }
  if (setting === 'js') {
    debug('SM2 native addon not loaded: CERTHUB_SM2_ENGINE=js');
    return undefined;
  }
  const outcome = open(file);
  if (!(outcome instanceof Error)) return outcome;
  if (setting === 'native') {
    throw new NativeSm2UnavailableError(
      `CERTHUB_SM2_ENGINE=native but the SM2 addon cannot be loaded (run npm run build:native): ${outcome.message}`,
      { file },
      { cause: outcome },
    );
  }
  debug('SM2 native addon not loaded, using the JS engine: %s', outcome.message);
  return undefined;
}

/** The project's built addon (see loadNativeSm2From for how CERTHUB_SM2_ENGINE is applied). */
export function loadNativeSm2(): NativeSm2 | undefined {
  return loadNativeSm2From(NATIVE_SM2_ADDON_PATH);
}
