import { loadNativeSm2, type NativeSm2 } from './native-binding';

// Which SM2 implementation runs sm2Sign/sm2Verify: the project's native addon (certs-service/native, see
// native-binding.ts) when it was built and not disabled with CERTHUB_SM2_ENGINE=js, otherwise the pure-JS
// engine on @noble/curves. Either way keys, encodings and range checks are the TypeScript code in this
// folder. The choice is made once per process, on first use, so the hot path pays nothing for it.

let selected: { native: NativeSm2 | undefined } | undefined;

/** The native engine, or undefined when the JS engine is in use. */
export function nativeEngine(): NativeSm2 | undefined {
  selected ??= { native: loadNativeSm2() };
  return selected.native;
}

/** Which implementation is active: 'native' (the C addon) or 'js' (@noble/curves). */
export function sm2Engine(): 'native' | 'js' {
  return nativeEngine() === undefined ? 'js' : 'native';
}

/** Forgets the choice so the next call re-reads CERTHUB_SM2_ENGINE (tests only). */
export function resetSm2EngineForTests(): void {
  selected = undefined;
}
