import { ChaincodeRuleError } from '../errors';
import type { Region } from '../model/registry';
import { assertChainsToRegion, assertSignatureVerifies, parseCertificate } from './issuer-signature';

export interface EnterpriseSignedPayload {
  /** The enterprise's USCC: the certificate must name it (organizationIdentifier). */
  readonly enterprise: string;
  /** The enterprise's registration region, whose root must have issued the certificate. */
  readonly region: Region;
  readonly certificatePem: string;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  readonly at: Date;
}

/**
 * The check behind an enterprise's signed statement (a consent): the certificate is an end-entity signing
 * certificate naming the enterprise's USCC, chains to the root of the enterprise's registration region and is valid at
 * tx time, and its key verifies the SM2 signature (ID 1234567812345678) over the exact bytes. Enterprises are not
 * registered on chain like issuers: the region root vouching for the USCC in the certificate is what binds key and
 * enterprise. Returns the certificate's SM3 fingerprint.
 */
export async function verifyEnterpriseSignature(payload: EnterpriseSignedPayload): Promise<string> {
  const certificate = parseCertificate(payload.certificatePem, 'certificate');
  const fingerprint = certificate.fingerprint();
  const reject = (reason: string, message: string): ChaincodeRuleError =>
    new ChaincodeRuleError('CERTIFICATE_REJECTED', message, {
      reason,
      enterprise: payload.enterprise,
      subject: certificate.subject,
      fingerprint,
    });
  if (certificate.isCa) throw reject('NOT_END_ENTITY', 'A CA certificate cannot sign for an enterprise');
  if (certificate.uscc !== payload.enterprise)
    throw reject('WRONG_SUBJECT', `The certificate is not enterprise ${payload.enterprise}'s`);
  // Also checks the leaf's keyUsage carries digitalSignature.
  await assertChainsToRegion(certificate, payload.region, payload.at);
  assertSignatureVerifies(certificate, fingerprint, payload.message, payload.signature);
  return fingerprint;
}
