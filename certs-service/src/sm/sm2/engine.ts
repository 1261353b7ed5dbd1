// Which SM2 implementation runs sm2Sign/sm2Verify: OpenSSL through the project's native binding when it
// was built (and not disabled with CERTHUB_SM2_ENGINE=js), otherwise the pure-JS engine. The choice is
// made once per process, on first use.

/** The agreed interface of the native binding (certs-service/src/sm/sm2/native-binding.ts). */
export interface NativeSm2Engine {
  createSigner(d: Uint8Array, publicPoint: Uint8Array): unknown;
  createVerifier(publicPoint: Uint8Array): unknown;
  sign(signer: never, id: Uint8Array, message: Uint8Array): Uint8Array;
  verify(verifier: never, id: Uint8Array, message: Uint8Array, rawSignature: Uint8Array): boolean;
}

// Until native-binding.ts lands this build has no native engine.
function loadNative(): NativeSm2Engine | undefined {
  return undefined;
}

let selected: { native: NativeSm2Engine | undefined } | undefined;

/** The native engine, or undefined when the JS engine is in use. */
export function nativeEngine(): NativeSm2Engine | undefined {
  selected ??= { native: loadNative() };
  return selected.native;
}

/** Which implementation is active: 'native' (OpenSSL via the addon) or 'js' (@noble/curves). */
export function sm2Engine(): 'native' | 'js' {
  return nativeEngine() === undefined ? 'js' : 'native';
}

/** Forgets the choice so the next call re-reads CERTHUB_SM2_ENGINE (tests only). */
export function resetSm2EngineForTests(): void {
  selected = undefined;
}
