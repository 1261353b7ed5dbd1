import { Sm2Certificate, Sm2PrivateKey, Sm2PublicKey } from '@certhub/certs-service';
import { CliInputError } from './errors';
import type { CliIo } from './io';

// Key and certificate files may come from this tool or from OpenSSL, as PEM or DER: detect which by content.
const isPem = (bytes: Uint8Array): boolean =>
  Buffer.from(bytes.subarray(0, 64)).toString('latin1').includes('-----BEGIN');
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

export async function loadPrivateKey(io: CliIo, path: string): Promise<Sm2PrivateKey> {
  const bytes = await io.readFile(path);
  return isPem(bytes) ? Sm2PrivateKey.fromPem(text(bytes)) : Sm2PrivateKey.fromDer(bytes);
}

/** A public key from an SPKI file, or the subject key of a certificate (so `--pub cert.pem` works too). */
export async function loadPublicKey(io: CliIo, path: string): Promise<Sm2PublicKey> {
  const bytes = await io.readFile(path);
  if (!isPem(bytes)) return Sm2PublicKey.fromSpkiDer(bytes);
  const pem = text(bytes);
  return pem.includes('-----BEGIN CERTIFICATE-----')
    ? Sm2Certificate.fromPem(pem).publicKey
    : Sm2PublicKey.fromPem(pem);
}

export async function loadCertificate(io: CliIo, path: string): Promise<Sm2Certificate> {
  const bytes = await io.readFile(path);
  return isPem(bytes) ? Sm2Certificate.fromPem(text(bytes)) : Sm2Certificate.fromDer(bytes);
}

/** `--at 2026-11-21T00:00:00Z`: an ISO 8601 time; default now. */
export function parseTime(value: string | undefined, flagName: string): Date {
  if (value === undefined) return new Date();
  const time = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time.getTime())) {
    throw new CliInputError(`--${flagName} must be an ISO 8601 time such as 2026-11-21T08:00:00Z, got "${value}"`, {
      flag: flagName,
      value,
    });
  }
  return time;
}
