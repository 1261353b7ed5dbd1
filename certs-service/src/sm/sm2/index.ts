// Public surface of SM2: keys and their encodings, signing and verification, the active engine, errors.
// Internals (curve arithmetic, DER codec, deterministic-nonce signing for the standard's vector) stay unexported.
export { SM2_DEFAULT_ID, type Sm2Id } from './distinguishing-id';
export { Sm2PrivateKey, Sm2PublicKey } from './keys';
export { sm2Sign, sm2Verify, sm2VerifyAsync, type Sm2SignOptions, type Sm2VerifyOptions } from './sign';
export type { Sm2SignatureFormat } from './signature-encoding';
export { sm2Engine } from './engine';
export { DerError, PemError, Sm2IdError, Sm2KeyError, Sm2SignatureFormatError } from './errors';
