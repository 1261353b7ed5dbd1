import {
  CertificateChainError,
  Sm2SignatureFormatError,
  canonicalBytes,
  sm2Verify,
  sm3Hex,
  type FullCreditRecord,
} from '@certhub/certs-service';
import type { CreditRecord, CreditRecordSummary } from '@certhub/chaincode/dist/credit-model';
import { addDays, creditSigningBytes, isPublicOn } from '@certhub/chaincode/dist/credit-model';
import type { User } from '../auth/user';
import { LruMap } from '../lru-map';
import type { CertificateCache } from '../services/certificate-cache';
import type { IssuerCertificateRecord, IssuerRecord, RegionRecord } from '../services/ledger-records';
import type { RunnableStep } from './runner';
import type { StepOutcome } from './steps';

/*
 * Each record of a credit profile is verifiable in the style of license verification (DESIGN.md §6, issue 6): the
 * source's SM2 signature, the anchor, the status. Declared here, run by the same runner, recorded as {step, ok, detail}.
 */

export type CreditCheckStep = 'signature' | 'anchor' | 'status';

/** The source department of a record and its region, as the registry has them (undefined: not registered). */
export interface CreditSource {
  readonly issuer: IssuerRecord;
  readonly region: RegionRecord;
}

export interface CreditCheckContext {
  readonly caller: User | undefined;
  /** The USCC the profile is about. */
  readonly subject: string;
  /** The profile's date (YYYY-MM-DD, China time). */
  readonly onDate: string;
  /** The record as the profile listed it: its current status, as of this query. */
  readonly listed: CreditRecordSummary;
  /**
   * The full record this gateway holds, read only for a caller allowed the detail: undefined when detail was not asked
   * for, null when this gateway holds none (anchored through another gateway).
   */
  readonly fullRecord: FullCreditRecord | null | undefined;
  /** The source's registry entry, looked up once per profile rather than once per record (undefined: none). */
  source(uscc: string): CreditSource | undefined;
  /**
   * The record's full anchor (profiles list summaries, without the signature). Only its facts fixed at anchoring are
   * used here (hash, signed facts, signature, signer, anchoring tx), so the caller may remember it across queries. It
   * is treated as immutable: the signature's answer is remembered for this very object.
   */
  readonly anchor: CreditRecord;
}

export interface CreditStepDependencies {
  readonly certificates: CertificateCache;
}

/** Signature answers remembered: a 1,000-record profile would otherwise verify 1,000 SM2 signatures per query. */
const SIGNATURE_CACHE_ENTRIES = 100_000;

/** Distinct (decision, end, minimum) date triples whose status text is kept. */
const ACTIVE_OUTCOME_ENTRIES = 4096;

export type CreditStepDefinition = RunnableStep<CreditCheckStep, CreditCheckContext>;

const pass = (detail: string): StepOutcome => ({ ok: true, detail });
const fail = (detail: string): StepOutcome => ({ ok: false, detail });

/**
 * Whether the anchor's signature verifies over the facts it was anchored with. Pure in (certificate, signature,
 * signed facts), so remembered by exactly those, without building the signing bytes again for a known answer.
 */
function signatureVerifies(
  anchor: CreditRecord,
  fingerprint: string,
  publicKey: Parameters<typeof sm2Verify>[0],
  answers: LruMap<string, boolean>,
): boolean {
  // Every signed fact is in the key (none contains '|'): a changed one is another message, verified afresh.
  const key = [
    fingerprint,
    anchor.signature,
    anchor.recordHash,
    anchor.subject,
    anchor.category,
    anchor.severity,
    anchor.decisionDate,
    anchor.source,
  ].join('|');
  const known = answers.get(key);
  if (known !== undefined) return known;
  const signature = Buffer.from(anchor.signature, 'base64');
  let ok = false;
  if (signature.toString('base64') === anchor.signature) {
    const message = creditSigningBytes({
      recordHash: anchor.recordHash,
      subject: anchor.subject,
      category: anchor.category,
      severity: anchor.severity,
      decisionDate: anchor.decisionDate,
      source: anchor.source,
    });
    try {
      ok = sm2Verify(publicKey, message, signature);
    } catch (error) {
      if (!(error instanceof Sm2SignatureFormatError)) throw error;
    }
  }
  answers.set(key, ok);
  return ok;
}

/** Fields where two descriptions of one record disagree, by name. */
function disagreements(pairs: readonly [string, unknown, unknown][]): string[] {
  return pairs.filter(([, a, b]) => a !== b).map(([name, a, b]) => `${name} (${String(a)} ≠ ${String(b)})`);
}

function authorityCode(record: FullCreditRecord): unknown {
  const authority = record['authority'];
  return typeof authority === 'object' && authority !== null && !Array.isArray(authority)
    ? authority['code']
    : undefined;
}

/** The checks of one profile record, in the order they run. */
export function creditCheckSteps(deps: CreditStepDependencies): readonly CreditStepDefinition[] {
  const signatures = new LruMap<string, boolean>(SIGNATURE_CACHE_ENTRIES);
  /**
   * The signature step's answer for an anchor object, with the signer's registry state it was judged under. It is a
   * function of the anchor (fixed at anchoring, and this object is not changed) and of that state alone, so a profile
   * whose source, certificate, retirement and root read the same reuses it; any change to them judges afresh.
   */
  const judged = new WeakMap<CreditRecord, { readonly state: string; readonly outcome: StepOutcome }>();
  /** Per source object (one per profile): each registered certificate's state, digested once, not per record. */
  const states = new WeakMap<CreditSource, Map<IssuerCertificateRecord, string>>();
  const signerState = (source: CreditSource, registered: IssuerCertificateRecord): string => {
    let bySigner = states.get(source);
    if (bySigner === undefined) {
      bySigner = new Map();
      states.set(source, bySigner);
    }
    let state = bySigner.get(registered);
    if (state === undefined) {
      // Everything judgeSignature reads besides the anchor.
      const facts = [
        registered.fingerprint,
        registered.pem,
        registered.retiredAt,
        source.issuer.name,
        source.region.name,
        source.region.rootCertificatePem,
      ];
      state = sm3Hex(Buffer.from(JSON.stringify(facts), 'utf8'));
      bySigner.set(registered, state);
    }
    return state;
  };
  const judgeSignature = async (
    anchor: CreditRecord,
    source: CreditSource,
    registered: IssuerCertificateRecord,
  ): Promise<StepOutcome> => {
    const certificate = deps.certificates.parse(registered.pem);
    if (certificate.uscc !== anchor.source) {
      return fail(`the certificate names USCC ${certificate.uscc ?? '(none)'}, not the source ${anchor.source}`);
    }
    const signedAt = new Date(anchor.anchored.timestamp);
    if (registered.retiredAt !== null && Date.parse(registered.retiredAt) <= signedAt.getTime()) {
      return fail(`the signing key was retired at ${registered.retiredAt}, before anchoring`);
    }
    try {
      await deps.certificates.verifyChain(
        certificate,
        deps.certificates.parse(source.region.rootCertificatePem),
        signedAt,
      );
    } catch (error) {
      if (error instanceof CertificateChainError) {
        return fail(`certificate chain to the ${source.region.name} root fails: ${error.context.reason}`);
      }
      throw error;
    }
    return signatureVerifies(anchor, registered.fingerprint, certificate.publicKey, signatures)
      ? pass(
          `SM2 signature of ${source.issuer.name} (${anchor.source}); certificate chains to the ${source.region.name} root`,
        )
      : fail(`the SM2 signature does not verify with the certificate of ${certificate.subject}`);
  };
  /** The anchor step's pass for an anchor object (its text is then the same string each time: cheap to compare). */
  const anchoredOutcomes = new WeakMap<CreditRecord, StepOutcome>();
  const anchoredOutcome = (anchor: CreditRecord): StepOutcome => {
    let outcome = anchoredOutcomes.get(anchor);
    if (outcome === undefined) {
      outcome = pass(`recordHash ${anchor.recordHash} anchored in tx ${anchor.anchored.txId}`);
      anchoredOutcomes.set(anchor, outcome);
    }
    return outcome;
  };
  /** The status step's pass, a function of three dates alone; a busy profile has a few dozen distinct ones. */
  const activeOutcomes = new LruMap<string, StepOutcome>(ACTIVE_OUTCOME_ENTRIES);
  const activeOutcome = (decisionDate: string, until: string, minimumUntil: string): StepOutcome => {
    const key = `${decisionDate}|${until}|${minimumUntil}`;
    let outcome = activeOutcomes.get(key);
    if (outcome === undefined) {
      outcome = pass(`ACTIVE, public ${decisionDate}..${until}; repair possible from ${addDays(minimumUntil, 1)}`);
      activeOutcomes.set(key, outcome);
    }
    return outcome;
  };
  return [
    {
      step: 'signature',
      needs: [],
      decidesVerdict: true,
      run: (context) => {
        const { anchor } = context;
        const source = context.source(anchor.source);
        if (source === undefined) return fail(`source ${anchor.source} is not registered`);
        const registered = source.issuer.certificates.find((c) => c.fingerprint === anchor.signerFingerprint);
        if (registered === undefined) {
          return fail(`certificate ${anchor.signerFingerprint} is not registered for ${anchor.source}`);
        }
        const state = signerState(source, registered);
        const known = judged.get(anchor);
        if (known !== undefined && known.state === state) return known.outcome;
        return judgeSignature(anchor, source, registered).then((outcome) => {
          judged.set(anchor, { state, outcome });
          return outcome;
        });
      },
    },
    {
      step: 'anchor',
      needs: [],
      decidesVerdict: true,
      run: (context) => {
        const { anchor, listed } = context;
        const agree =
          listed.recordHash === anchor.recordHash &&
          context.subject === anchor.subject &&
          listed.category === anchor.category &&
          listed.severity === anchor.severity &&
          listed.decisionDate === anchor.decisionDate &&
          listed.source === anchor.source;
        // The common case, compared field by field above, answers with the one outcome kept for this anchor object.
        if (agree && context.fullRecord === undefined) return anchoredOutcome(anchor);
        const differ = disagreements([
          ['recordHash', listed.recordHash, anchor.recordHash],
          ['subject', context.subject, anchor.subject],
          ['category', listed.category, anchor.category],
          ['severity', listed.severity, anchor.severity],
          ['decisionDate', listed.decisionDate, anchor.decisionDate],
          ['source', listed.source, anchor.source],
        ]);
        if (differ.length > 0) return fail(`the profile and the anchor disagree on ${differ.join(', ')}`);
        const anchored = anchoredOutcome(anchor).detail;
        if (context.fullRecord === undefined) return pass(anchored);
        if (context.fullRecord === null) return pass(`${anchored}; this gateway holds no full record to compare`);
        const full = context.fullRecord;
        const hash = sm3Hex(canonicalBytes(full));
        if (hash !== anchor.recordHash) {
          return fail(`SM3 of the full record held here is ${hash}, not the anchored ${anchor.recordHash}`);
        }
        const content = disagreements([
          ['subject', full['subject'], anchor.subject],
          ['category', full['category'], anchor.category],
          ['severity', full['severity'], anchor.severity],
          ['decisionDate', full['decisionDate'], anchor.decisionDate],
          ['authority', authorityCode(full), anchor.source],
        ]);
        if (content.length > 0) return fail(`the full record and the anchor disagree on ${content.join(', ')}`);
        return pass(`${anchored}; SM3 of the full record equals it`);
      },
    },
    {
      step: 'status',
      needs: ['anchor'],
      decidesVerdict: true,
      // The status the chain gives now (the profile's own answer), not the remembered anchor.
      run: ({ listed, onDate }) => {
        const until = listed.publicUntil ?? 'repaired or withdrawn';
        if (listed.status !== 'ACTIVE') {
          const on = listed.status === 'REPAIRED' ? listed.repairedOn : listed.withdrawnOn;
          return fail(`${listed.status} on ${on ?? '?'}`);
        }
        if (!isPublicOn(listed, onDate)) {
          return fail(`not public on ${onDate}: public ${listed.decisionDate}..${until}`);
        }
        return activeOutcome(listed.decisionDate, until, listed.minimumUntil);
      },
    },
  ];
}
