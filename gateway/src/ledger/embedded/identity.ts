import { X509Certificate, createPrivateKey } from 'node:crypto';
import { sm3Hex } from '@certhub/certs-service';
import type { LedgerIdentity } from '../ledger';
import { LedgerError } from '../errors';

/** An organisation the embedded ledger admits: its MSP ID and the CA certificates its members' certificates chain to. */
export interface LedgerOrganization {
  readonly mspId: string;
  readonly rootCertificatePems: readonly string[];
}

/**
 * Does what a peer's MSP does before the chaincode runs: the certificate must be issued by one of the MSP's CAs and
 * be within its validity, and the caller must hold the matching private key. Accepted identities are remembered so
 * a busy client pays for the checks once.
 */
export class IdentityValidator {
  private readonly roots = new Map<string, X509Certificate[]>();
  /** Accepted identities → SM3 of their certificate PEM (what blocks record as the submitter). */
  private readonly accepted = new Map<string, string>();
  /**
   * The same answers by identity object: the gateway passes each user's one LedgerIdentity object on every call, and
   * building the text key (three PEMs, ~2 KiB) and hashing it showed in the profile of POST /v1/verify.
   */
  private readonly acceptedObjects = new WeakMap<LedgerIdentity, string>();

  constructor(organizations: readonly LedgerOrganization[]) {
    for (const org of organizations) {
      this.roots.set(
        org.mspId,
        org.rootCertificatePems.map((pem) => new X509Certificate(pem)),
      );
    }
  }

  /** Returns the SM3 hex digest of the certificate PEM, which identifies the submitter in blocks and tx IDs. */
  validate(identity: LedgerIdentity, at: Date): string {
    // LedgerIdentity is readonly, so an object accepted once names the same identity for as long as it lives.
    const knownObject = this.acceptedObjects.get(identity);
    if (knownObject !== undefined) return knownObject;
    const cacheKey = `${identity.mspId}\n${identity.certificatePem}\n${identity.privateKeyPem}`;
    const known = this.accepted.get(cacheKey);
    if (known !== undefined) {
      this.acceptedObjects.set(identity, known);
      return known;
    }
    const roots = this.roots.get(identity.mspId);
    if (roots === undefined) throw rejected('unknown MSP', identity.mspId);
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(identity.certificatePem);
    } catch (cause) {
      throw rejected('certificate is not valid PEM', identity.mspId, cause);
    }
    if (!roots.some((root) => certificate.checkIssued(root) && certificate.verify(root.publicKey))) {
      throw rejected('certificate is not issued by the MSP', identity.mspId);
    }
    if (at < new Date(certificate.validFrom) || at > new Date(certificate.validTo)) {
      throw rejected('certificate is outside its validity', identity.mspId);
    }
    let holdsKey: boolean;
    try {
      holdsKey = certificate.checkPrivateKey(createPrivateKey(identity.privateKeyPem));
    } catch (cause) {
      throw rejected('private key is not valid PEM', identity.mspId, cause);
    }
    if (!holdsKey) throw rejected('private key does not match the certificate', identity.mspId);
    const digest = sm3Hex(identity.certificatePem);
    this.accepted.set(cacheKey, digest);
    this.acceptedObjects.set(identity, digest);
    return digest;
  }
}

function rejected(reason: string, mspId: string, cause?: unknown): LedgerError {
  return new LedgerError('IDENTITY_REJECTED', `Identity rejected: ${reason}`, { mspId, reason }, { cause });
}
