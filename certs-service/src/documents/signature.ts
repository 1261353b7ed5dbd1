import { Sm2PrivateKey, sm2Sign, Sm2SignatureFormatError, sm2Verify } from '../sm/sm2';
import { Sm2Certificate } from '../x509';
import { SignerKeyMismatchError } from './errors';
import {
  documentHash,
  documentSigningBytes,
  LICENSE_PROOF_TYPE,
  type LicenseDocument,
  type UnsignedLicenseDocument,
  withoutProof,
} from './license-document';

/** Who signs and when: the issuer's key, its certificate (embedded in the proof) and the signing time. */
export interface LicenseSigner {
  readonly key: Sm2PrivateKey;
  readonly certificate: Sm2Certificate;
  readonly created: Date;
}

export interface LicenseSignatureCheck {
  /** Whether `proof.signatureValue` is a valid SM2 signature of the document (without proof) by the embedded certificate's key. */
  readonly ok: boolean;
  /** The certificate embedded in the proof. Whether it is trustworthy is the chain check's job, not this one's. */
  readonly certificate: Sm2Certificate;
  readonly docHash: string;
}

// Strict base64: only the canonical encoding of some bytes is accepted, so one signature has one textual form.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? new Uint8Array(bytes) : undefined;
}

/**
 * Signs a license document per DESIGN.md §3: SM2 with SM3 and the default ID 1234567812345678 over the canonical
 * bytes of the document without `proof`; the proof carries the signing time, the certificate PEM and the base64 DER
 * signature. Any `proof` already on the input is replaced.
 * @throws SignerKeyMismatchError if the key is not the certificate's; CanonicalizationError if the document is not JSON data
 */
export function signLicenseDocument(unsigned: UnsignedLicenseDocument, signer: LicenseSigner): LicenseDocument {
  const { key, certificate, created } = signer;
  // Catch the mix-up here: a document signed by a key other than its certificate's would only fail at verification.
  if (!key.publicKey.equals(certificate.publicKey)) {
    throw new SignerKeyMismatchError(certificate.subject, certificate.fingerprint());
  }
  const body = withoutProof(unsigned);
  const signature = sm2Sign(key, documentSigningBytes(body));
  return {
    ...body,
    proof: {
      type: LICENSE_PROOF_TYPE,
      created: created.toISOString(),
      certificate: certificate.pem,
      signatureValue: Buffer.from(signature).toString('base64'),
    },
  };
}

/**
 * Checks the document's SM2 signature against the certificate embedded in its proof. A signature that does not verify,
 * is not canonical base64, is malformed DER, or a proof of another type gives `ok: false`. Only the signature is
 * checked here; certificate chain, validity at `created`, status and anchoring are separate verification steps.
 * `proof.created` is not covered by the signature (DESIGN.md §3 signs the document without `proof`); the chain keeps it
 * as the anchor's `signedAt` and the verifier's `anchor` step compares the two.
 * @throws whatever Sm2Certificate.fromPem throws if the embedded certificate cannot be parsed at all
 */
export function verifyLicenseDocumentSignature(doc: LicenseDocument): LicenseSignatureCheck {
  const certificate = Sm2Certificate.fromPem(doc.proof.certificate);
  const docHash = documentHash(doc);
  const signature = decodeBase64(doc.proof.signatureValue);
  // Widened to string: documents arrive as untrusted JSON, whatever the static type says.
  const proofType: string = doc.proof.type;
  if (proofType !== LICENSE_PROOF_TYPE || signature === undefined) {
    return { ok: false, certificate, docHash };
  }
  try {
    return { ok: sm2Verify(certificate.publicKey, documentSigningBytes(doc), signature), certificate, docHash };
  } catch (error) {
    // A malformed signature is simply not a valid one here; anything else is a bug and propagates.
    if (error instanceof Sm2SignatureFormatError) return { ok: false, certificate, docHash };
    throw error;
  }
}
