import { licenseStatusName } from '@certhub/chaincode/dist/rules/status';
import {
  CertificateChainError,
  sm3Hex,
  parseLicenseId,
  LICENSE_PROOF_TYPE,
  Sm2SignatureFormatError,
  documentSigningBytes,
  sm2VerifyAsync,
  type Sm2Certificate,
  type LicenseDocument,
} from '@certhub/certs-service';
import { LicenseDocumentSchema, validationIssues, type VerificationStep } from '../schemas';
import { chinaDate } from '../services/china-date';
import type { LicenseService } from '../services/license-service';
import type { RegistryService } from '../services/registry-service';
import type { RecognitionAnswer } from '../services/ledger-records';
import { evaluateJson } from '../services/ledger-json';
import type { LedgerIdentities } from '../services/identities';
import type { Ledger } from '../ledger';
import { batchInclusionFailure, ledgerBatchLookup } from './batch-inclusion';
import type { VerificationContext, VerificationFacts } from './context';
import { VerificationOrderError } from './errors';
import type { CertificateCache } from '../services/certificate-cache';

/** A step's answer: passed, failed, or not applicable (null), always with the reason in words. */
export interface StepOutcome {
  readonly ok: boolean | null;
  readonly detail: string;
}

/** One step of DESIGN.md §6: its name, the earlier steps it is meaningless without, and what it checks. */
export interface StepDefinition {
  readonly step: VerificationStep;
  readonly needs: readonly VerificationStep[];
  /** Whether a failure makes the verdict INVALID (every step but `recognition`, which feeds `recognized`). */
  readonly decidesVerdict: boolean;
  /** Answers directly when it needs no I/O, so the runner makes no promise for it. */
  run(context: VerificationContext): StepOutcome | Promise<StepOutcome>;
}

export interface StepDependencies {
  readonly ledger: Ledger;
  readonly identities: LedgerIdentities;
  readonly registry: RegistryService;
  readonly licenses: LicenseService;
  readonly certificates: CertificateCache;
}

// Strict base64 (as certs-service's document verification): one signature has exactly one textual form.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The curve arithmetic runs on the thread pool (sm2VerifyAsync): it is the largest single cost of a verification, and
 * the gateway's event loop is what bounds verifications per second.
 */
async function signatureVerifies(
  document: LicenseDocument,
  signedBytes: Uint8Array,
  certificate: Sm2Certificate,
): Promise<boolean> {
  const text = document.proof.signatureValue;
  const proofType: string = document.proof.type;
  if (proofType !== LICENSE_PROOF_TYPE || !BASE64.test(text)) return false;
  const signature = Buffer.from(text, 'base64');
  if (signature.toString('base64') !== text) return false;
  try {
    return await sm2VerifyAsync(certificate.publicKey, signedBytes, signature);
  } catch (error) {
    if (error instanceof Sm2SignatureFormatError) return false;
    throw error;
  }
}

const pass = (detail: string): StepOutcome => ({ ok: true, detail });
const fail = (detail: string): StepOutcome => ({ ok: false, detail });

function fact<K extends keyof VerificationFacts>(
  facts: VerificationFacts,
  name: K,
  step: VerificationStep,
): NonNullable<VerificationFacts[K]> {
  const value = facts[name];
  if (value === undefined) {
    throw new VerificationOrderError(`step ${step} needs ${name}, which no earlier step established`, { step, name });
  }
  return value;
}

/** The steps in the order they run. The runner only sequences them; each one's rule lives here. */
export function verificationSteps(deps: StepDependencies): readonly StepDefinition[] {
  return [
    {
      step: 'format',
      needs: [],
      decidesVerdict: true,
      run: ({ subject, facts }) => {
        if (subject.document === undefined) {
          return fail(`this gateway holds no document for ${subject.licenseId}; submit the document`);
        }
        const issues = validationIssues(LicenseDocumentSchema, subject.document);
        if (issues.length > 0) {
          return fail(issues.map((i) => `${i.pointer || '/'} ${i.message}`).join('; '));
        }
        const document = subject.document as LicenseDocument;
        const id = parseLicenseId(document.licenseId);
        const mismatches = [
          id.typeCode !== document.type.code ? 'type.code' : undefined,
          id.issuerUscc !== document.issuer.code ? 'issuer.code' : undefined,
          id.version !== document.version ? 'version' : undefined,
          document.licenseId !== subject.licenseId ? 'licenseId (not the one asked about)' : undefined,
        ].filter((m): m is string => m !== undefined);
        if (mismatches.length > 0) return fail(`the license ID disagrees with ${mismatches.join(', ')}`);
        facts.document = document;
        return pass('well-formed e-license; identifier check characters valid');
      },
    },
    {
      step: 'hash',
      needs: ['format'],
      decidesVerdict: true,
      run: ({ subject, facts }) => {
        // The signature covers the same canonical bytes as the hash (the document without proof): made once, here.
        const signingBytes = documentSigningBytes(fact(facts, 'document', 'hash'));
        const docHash = sm3Hex(signingBytes);
        facts.signingBytes = signingBytes;
        facts.docHash = docHash;
        if (subject.expectedDocHash !== undefined && subject.expectedDocHash !== docHash) {
          return fail(`SM3 ${docHash} is not the expected ${subject.expectedDocHash}`);
        }
        return pass(`SM3 of the canonical document: ${docHash}`);
      },
    },
    {
      step: 'signature',
      needs: ['hash'],
      decidesVerdict: true,
      run: async ({ facts }) => {
        const document = fact(facts, 'document', 'signature');
        // certs-service's verifyLicenseDocumentSignature re-parses the certificate PEM on every call (~1.5 ms, most
        // of a verification's CPU); the same check over the cached parse keeps its rules: strict canonical base64,
        // the SM2SignatureSM3 proof type, and a malformed signature counting as a failed one.
        const certificate = deps.certificates.parse(document.proof.certificate);
        facts.certificate = certificate;
        const ok = await signatureVerifies(document, fact(facts, 'signingBytes', 'signature'), certificate);
        return ok
          ? pass(`SM2 signature verifies with the certificate of ${certificate.subject}`)
          : fail(`the SM2 signature does not verify with the embedded certificate (${certificate.subject})`);
      },
    },
    {
      step: 'issuer',
      needs: ['signature'],
      decidesVerdict: true,
      run: async ({ caller, facts }) => {
        const document = fact(facts, 'document', 'issuer');
        const certificate = fact(facts, 'certificate', 'issuer');
        const issuer = await deps.registry.issuer(caller, document.issuer.code);
        if (issuer === undefined) return fail(`issuer ${document.issuer.code} is not registered`);
        if (issuer.region !== document.issuer.region) {
          return fail(`issuer ${issuer.uscc} belongs to region ${issuer.region}, not ${document.issuer.region}`);
        }
        if (certificate.uscc !== issuer.uscc) {
          return fail(`the certificate names USCC ${certificate.uscc ?? '(none)'}, not the issuer ${issuer.uscc}`);
        }
        const region = await deps.registry.region(caller, issuer.region);
        if (region === undefined) return fail(`region ${issuer.region} is not registered`);
        const signedAt = new Date(document.proof.created);
        try {
          await deps.certificates.verifyChain(
            certificate,
            deps.certificates.parse(region.rootCertificatePem),
            signedAt,
          );
        } catch (error) {
          if (error instanceof CertificateChainError) {
            return fail(`certificate chain to the ${region.name} root fails: ${error.context.reason}`);
          }
          throw error;
        }
        const registered = issuer.certificates.find((c) => c.fingerprint === certificate.fingerprint());
        if (registered === undefined) return fail(`the signing certificate is not registered for ${issuer.uscc}`);
        if (registered.retiredAt !== null && Date.parse(registered.retiredAt) <= signedAt.getTime()) {
          return fail(`the signing key was retired at ${registered.retiredAt}, before signing`);
        }
        if (!issuer.licenseTypes.includes(document.type.code)) {
          return fail(`issuer ${issuer.uscc} is not authorised for license type ${document.type.code}`);
        }
        return pass(`${issuer.name} (${issuer.uscc}), certificate chains to the ${region.name} root at signing time`);
      },
    },
    {
      step: 'anchor',
      needs: ['hash'],
      decidesVerdict: true,
      run: async ({ caller, subject, facts }) => {
        const anchor = await deps.licenses.get(caller, subject.licenseId);
        facts.anchor = anchor;
        const docHash = fact(facts, 'docHash', 'anchor');
        if (anchor.docHash !== docHash) {
          return fail(`on-chain docHash ${anchor.docHash} differs from the document's ${docHash}`);
        }
        // The signature does not cover `proof` (DESIGN.md §3); the signing time the issuer declared is on chain instead.
        const { created } = fact(facts, 'document', 'anchor').proof;
        if (anchor.signedAt !== undefined && anchor.signedAt !== null && anchor.signedAt !== created) {
          return fail(`proof.created ${created} differs from the signing time ${anchor.signedAt} on chain`);
        }
        const document = fact(facts, 'document', 'anchor');
        const batches = ledgerBatchLookup(deps.ledger, deps.identities.forCaller(caller));
        const batchFailure = await batchInclusionFailure(document, docHash, anchor, batches);
        if (batchFailure !== undefined) return fail(batchFailure);
        if (document.proof.batch !== undefined) {
          const { batchId, leafIndex, leafCount } = document.proof.batch;
          const proven = `its Merkle proof (leaf ${leafIndex} of ${leafCount}) reaches the root of batch ${batchId} on chain`;
          return pass(`docHash matches the anchor of tx ${anchor.issued.txId}; ${proven}`);
        }
        return pass(`docHash matches the anchor of tx ${anchor.issued.txId}`);
      },
    },
    {
      step: 'status',
      needs: ['anchor'],
      decidesVerdict: true,
      run: ({ facts }) => {
        const { status } = fact(facts, 'anchor', 'status');
        const name = licenseStatusName(status);
        return status === '01' ? pass('status 01 (valid)') : fail(`status ${status} (${name})`);
      },
    },
    {
      step: 'validity',
      needs: ['anchor'],
      decidesVerdict: true,
      run: ({ now, facts }) => {
        const { validFrom, validUntil } = fact(facts, 'anchor', 'validity');
        const today = chinaDate(now);
        const range = `${validFrom}..${validUntil ?? 'open'}`;
        if (today < validFrom) return fail(`not yet valid: today ${today}, valid ${range}`);
        if (validUntil !== null && today > validUntil) {
          return fail(`expired: today ${today}, valid ${range}`);
        }
        return pass(`today ${today} is within ${range}`);
      },
    },
    {
      step: 'recognition',
      needs: ['format'],
      decidesVerdict: false,
      run: async ({ caller, now, subject, facts }) => {
        if (caller === undefined) {
          facts.recognized = null;
          return { ok: null, detail: 'anonymous caller: no region to recognise the license' };
        }
        if (caller.region === null) {
          facts.recognized = null;
          return { ok: null, detail: `a ${caller.role} acts for no region` };
        }
        const answer = (await evaluateJson(deps.ledger, deps.identities.forUser(caller), 'recognition', 'recognises', [
          caller.region,
          subject.licenseId,
          // The verification's own date, as the validity step uses: the chain's answer for it can be remembered.
          chinaDate(now),
        ])) as RecognitionAnswer;
        facts.recognized = answer.recognised;
        const how =
          answer.reason === 'SAME_REGION'
            ? 'issued in the caller’s own region'
            : answer.agreementId === null
              ? `no active recognition agreement (${answer.reason})`
              : `recognition agreement ${answer.agreementId}`;
        return { ok: answer.recognised, detail: `region ${caller.region}: ${how}` };
      },
    },
  ];
}
