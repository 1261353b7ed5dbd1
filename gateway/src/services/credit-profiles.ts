import type { CreditRecordStore, FullCreditRecord } from '@certhub/certs-service';
import type {
  ClassReason,
  CreditCategory,
  CreditRecord,
  CreditRecordSummary,
  SupervisionClass,
} from '@certhub/chaincode/dist/credit-model';
import { UnauthenticatedError } from '../auth/errors';
import type { User } from '../auth/user';
import type { Ledger, LedgerIdentity } from '../ledger';
import { MAX_RECORDS_PER_GET_MANY } from '@certhub/chaincode/dist/contracts/credit';
import { LruMap } from '../lru-map';
import { runVerificationNow, type CheckRecord } from '../verification/runner';
import { freezeJson, sameJson } from './credit-profile-json';
import {
  creditCheckSteps,
  type CreditCheckContext,
  type CreditCheckStep,
  type CreditSource,
  type CreditStepDefinition,
} from '../verification/credit-steps';
import type { CertificateCache } from './certificate-cache';
import { chinaDate } from './china-date';
import type { CreditDetailAccess, DetailGrant } from './credit-detail-access';
import { CreditProfileInconsistentError } from './credit-errors';
import { AccessDeniedError } from './errors';
import type { LedgerIdentities } from './identities';
import { evaluateJson } from './ledger-json';
import { ParsedAnswers } from './parsed-answers';
import type { IssuerRecord, LicenseAnchorRecord, RegionRecord } from './ledger-records';
import type { RegistryService } from './registry-service';

/** The lists a profile names memberships of (issue 6: abnormal operation, dishonest debtor, black and red lists). */
const LISTS = ['ABNORMAL_OPERATION', 'DISHONEST_DEBTOR', 'BLACKLIST', 'REDLIST'] as const;
type ListName = (typeof LISTS)[number];
const isList = (category: CreditCategory): category is ListName => (LISTS as readonly string[]).includes(category);

/** Licenses are read from the holder index a page at a time; the chaincode allows at most 1,000 a page. */
const LICENSE_PAGE_SIZE = 500;

/** Chain answers kept with their parse, per (enterprise, date): about 0.6 MB each for 1,000 records. */
const CHAIN_ANSWER_ENTRIES = 32;

/** Anchors remembered for their fixed facts (about 1 KB each): a few busy enterprises' records. */
const ANCHOR_CACHE_ENTRIES = 20_000;

/** Record summaries kept by record ID (about 0.5 KB each): a few busy enterprises. */
const SUMMARY_ENTRIES = 20_000;

export interface CreditProfileOptions {
  /** The day to answer for (YYYY-MM-DD); default today, China time. */
  readonly onDate?: string;
  /** Set when a bank asks for the detail: why it looks (logged with the query) and who decides whether it may. */
  readonly detail?: { readonly purpose: string; readonly access: CreditDetailAccess };
}

export type ProfileRecord = CreditRecordSummary & { readonly checks: readonly CheckRecord<CreditCheckStep>[] };

export interface ListMembership {
  readonly list: ListName;
  readonly recordId: string;
  readonly since: string;
  readonly until: string | null;
  readonly source: string;
}

export interface CreditDetail {
  readonly records: readonly {
    readonly recordId: string;
    readonly recordHash: string;
    readonly record: FullCreditRecord | null;
  }[];
  readonly taxRating: {
    readonly rating: string;
    readonly recordId: string;
    readonly decisionDate: string;
    readonly ratingYear: number | null;
  } | null;
  readonly consent: { readonly id: string; readonly expiresOn: string };
  readonly audit: { readonly seq: number; readonly entryHash: string };
}

export interface CreditProfile {
  readonly subject: string;
  readonly onDate: string;
  readonly class: SupervisionClass;
  readonly ruleSet: number;
  readonly reasons: readonly ClassReason[];
  readonly records: readonly ProfileRecord[];
  readonly lists: readonly ListMembership[];
  readonly licenses: readonly LicenseAnchorRecord[];
  readonly detail?: CreditDetail;
}

/** What credit:profile answers. */
interface ChainProfile {
  readonly subject: string;
  readonly onDate: string;
  readonly class: SupervisionClass;
  readonly ruleSet: number;
  readonly reasons: ClassReason[];
  readonly records: CreditRecordSummary[];
}

export interface CreditProfilesDeps {
  readonly ledger: Ledger;
  readonly identities: LedgerIdentities;
  readonly registry: RegistryService;
  readonly certificates: CertificateCache;
  readonly creditRecords: CreditRecordStore;
  /** Injectable so tests can pin "today". */
  readonly clock?: () => Date;
}

/**
 * GET /v1/enterprises/{uscc}/credit (issue 6). The public part is for anyone: the records public on the date with
 * the class and its reasons as the chain computes them (one versioned rule set for every bank), list memberships,
 * licenses held, and each record checked like a license (signature, anchor, status). The detail (full records, tax
 * rating) only for a bank that the given CreditDetailAccess lets in, asked before any detail is read, so every
 * detailed query is consented and logged.
 */
export class CreditProfiles {
  private readonly steps: readonly CreditStepDefinition[];
  private readonly clock: () => Date;
  /** What is remembered per record ID (its anchor, its last answer), found with one lookup per record and query. */
  readonly #records = new LruMap<string, RecordMemo>(ANCHOR_CACHE_ENTRIES);
  /**
   * The last credit:profile answer per (enterprise, date), its bytes and their parse (frozen). The chain is asked on
   * every query; only when it answers exactly the same bytes is the same parse used again (JSON.parse is pure).
   */
  readonly #chainAnswers = new ParsedAnswers<ChainProfile>(CHAIN_ANSWER_ENTRIES);
  /**
   * The summary last listed per record ID, frozen. When a changed answer (a record added to 1,000) lists a record
   * exactly as before, that earlier object stands for it, so its checks and its JSON are known by identity.
   */
  readonly #summaries = new LruMap<string, CreditRecordSummary>(SUMMARY_ENTRIES);
  /** One CreditSource per (issuer, region) answer: evaluateJson answers the same frozen objects while unchanged. */
  readonly #sources = new WeakMap<object, WeakMap<object, CreditSource>>();

  constructor(private readonly deps: CreditProfilesDeps) {
    this.steps = creditCheckSteps({ certificates: deps.certificates });
    this.clock = deps.clock ?? ((): Date => new Date());
  }

  async profile(caller: User | undefined, uscc: string, options: CreditProfileOptions = {}): Promise<CreditProfile> {
    const onDate = options.onDate ?? chinaDate(this.clock());
    const grant = options.detail === undefined ? undefined : await openDetail(caller, uscc, onDate, options.detail);
    const identity = this.deps.identities.forCaller(caller);
    const [chain, licenses] = await Promise.all([
      this.chainProfile(identity, uscc, onDate),
      this.licensesInForce(caller, uscc, onDate),
    ]);
    // Detail only: the full records this gateway holds, read after openDetail allowed (and logged) the query.
    const fullRecords =
      grant === undefined
        ? undefined
        : await Promise.all(chain.records.map((r) => this.deps.creditRecords.findRecord(r.recordHash)));
    const memos = await this.memosOf(caller, chain.records);
    const sources = await this.sourcesOf(caller, memos);
    const source = (code: string): CreditSource | undefined => sources.get(code);
    // Checked record by record without awaiting: a run whose steps all answer directly (remembered signatures) is
    // taken as it is; only a run with a pending step (a signature judged afresh) is awaited.
    const runs: (ProfileRecord | Promise<ProfileRecord>)[] = [];
    try {
      chain.records.forEach((listed, index) => {
        const memo = memos[index] as RecordMemo;
        const recordSource = source(memo.anchor.source);
        // The checks are a function of the listing, the anchor, the source's registry entry and the date alone: with
        // the very same (frozen) ones as last time, their answer is last time's.
        const last = memo.checked;
        if (
          fullRecords === undefined &&
          last !== undefined &&
          last.listed === listed &&
          last.source === recordSource &&
          last.onDate === onDate &&
          last.subject === uscc
        ) {
          runs.push(last.record);
          return;
        }
        const remember = (record: ProfileRecord): ProfileRecord => {
          if (fullRecords === undefined) memo.checked = { listed, source: recordSource, onDate, subject: uscc, record };
          return record;
        };
        const context: CreditCheckContext = {
          caller,
          subject: uscc,
          onDate,
          listed,
          fullRecord: fullRecords === undefined ? undefined : (fullRecords[index] ?? null),
          source,
          anchor: memo.anchor,
        };
        const run = runVerificationNow(this.steps, context);
        runs.push(
          run instanceof Promise
            ? run.then(({ checks }) => remember(answer(memo, listed, checks)))
            : remember(answer(memo, listed, run.checks)),
        );
      });
    } catch (error) {
      // A bug in a check: the runs already pending must not end as unhandled rejections.
      for (const run of runs) if (run instanceof Promise) run.catch(() => undefined);
      throw error;
    }
    const records = runs.some((run) => run instanceof Promise)
      ? await Promise.all(runs.map((run) => Promise.resolve(run)))
      : (runs as ProfileRecord[]);
    return {
      subject: uscc,
      onDate,
      class: chain.class,
      ruleSet: chain.ruleSet,
      reasons: chain.reasons,
      records,
      lists: chain.records
        .filter((r): r is CreditRecordSummary & { category: ListName } => isList(r.category))
        .map((r) => ({
          list: r.category,
          recordId: r.recordId,
          since: r.decisionDate,
          until: r.publicUntil,
          source: r.source,
        })),
      licenses,
      ...(grant === undefined || fullRecords === undefined
        ? {}
        : { detail: detailOf(chain.records, fullRecords, grant) }),
    };
  }

  /** credit:profile's answer, asked of the chain every time, parsed again only when its bytes differ. */
  private async chainProfile(identity: LedgerIdentity, uscc: string, onDate: string): Promise<ChainProfile> {
    const bytes = await this.deps.ledger.evaluate(identity, {
      contract: 'credit',
      fn: 'profile',
      args: [uscc, onDate],
    });
    return this.#chainAnswers.parse(`${uscc}|${onDate}`, bytes, (text) => this.parseChainProfile(text));
  }

  /**
   * A credit:profile answer, frozen, each record summary that equals (sameJson: same keys, order and values) the one
   * last listed under its ID replaced by that earlier object.
   */
  private parseChainProfile(text: string): ChainProfile {
    const parsed = JSON.parse(text) as ChainProfile;
    const records = parsed.records.map((listed) => {
      const before = this.#summaries.get(listed.recordId);
      if (before !== undefined && sameJson(before, listed)) return before;
      const summary = freezeSummary(listed);
      this.#summaries.set(listed.recordId, summary);
      return summary;
    });
    return freezeChainProfile({ ...parsed, records });
  }

  /**
   * Each listed record's memo, its anchor read from the ledger only the first time that record is met (and only the
   * records not met before are awaited: a profile of 1,000 known records makes no promise per record).
   */
  private async memosOf(caller: User | undefined, listed: readonly CreditRecordSummary[]): Promise<RecordMemo[]> {
    const memos = listed.map((r) => this.#records.get(r.recordId));
    const missing: number[] = [];
    memos.forEach((memo, index) => {
      if (memo === undefined) missing.push(index);
    });
    if (missing.length > 0) {
      const identity = this.deps.identities.forCaller(caller);
      // A few getMany queries rather than one get per record: the first profile of 1,000 records made 1,000.
      const batches: number[][] = [];
      for (let i = 0; i < missing.length; i += MAX_RECORDS_PER_GET_MANY) {
        batches.push(missing.slice(i, i + MAX_RECORDS_PER_GET_MANY));
      }
      await Promise.all(
        batches.map(async (batch) => {
          const ids = batch.map((index) => (listed[index] as CreditRecordSummary).recordId);
          const read = (await evaluateJson(this.deps.ledger, identity, 'credit', 'getMany', [
            JSON.stringify(ids),
          ])) as readonly (CreditRecord | null)[];
          batch.forEach((index, i) => {
            const record = read[i];
            const recordId = ids[i] as string;
            if (record === undefined || record === null) {
              throw new CreditProfileInconsistentError(
                `credit record ${recordId} is listed in the profile but the ledger does not find it`,
                { recordId },
              );
            }
            const memo: RecordMemo = {
              anchor: Object.freeze({ ...record, anchored: Object.freeze({ ...record.anchored }) }),
              answered: undefined,
              checked: undefined,
            };
            this.#records.set(recordId, memo);
            memos[index] = memo;
          });
        }),
      );
    }
    return memos as RecordMemo[];
  }

  /** Licenses the enterprise (on chain by its USCC as holderRef) holds in force on the date: current version, valid. */
  private async licensesInForce(
    caller: User | undefined,
    uscc: string,
    onDate: string,
  ): Promise<LicenseAnchorRecord[]> {
    const identity = this.deps.identities.forCaller(caller);
    const held: LicenseAnchorRecord[] = [];
    let bookmark = '';
    do {
      const page = (await evaluateJson(this.deps.ledger, identity, 'license', 'listByHolder', [
        uscc,
        String(LICENSE_PAGE_SIZE),
        bookmark,
      ])) as { items: LicenseAnchorRecord[]; bookmark: string };
      for (const license of page.items) {
        const current = license.supersededBy === null;
        const valid = license.validFrom <= onDate && (license.validUntil === null || onDate <= license.validUntil);
        if (license.status === '01' && current && valid) held.push(license);
      }
      bookmark = page.items.length < LICENSE_PAGE_SIZE ? '' : page.bookmark;
    } while (bookmark !== '');
    return held;
  }

  /**
   * The CreditSource for an issuer and region answer, the same object while the registry answers the same (frozen)
   * ones: a record's remembered checks hold for exactly that source.
   */
  private sourceOf(issuer: IssuerRecord, region: RegionRecord): CreditSource {
    let byRegion = this.#sources.get(issuer);
    if (byRegion === undefined) {
      byRegion = new WeakMap();
      this.#sources.set(issuer, byRegion);
    }
    let known = byRegion.get(region);
    if (known === undefined) {
      known = { issuer, region };
      byRegion.set(region, known);
    }
    return known;
  }

  /** Each source department's registry entry and region, read once per profile whatever the number of records. */
  private async sourcesOf(
    caller: User | undefined,
    memos: readonly RecordMemo[],
  ): Promise<Map<string, CreditSource | undefined>> {
    const codes = [...new Set(memos.map((m) => m.anchor.source))];
    const found = await Promise.all(
      codes.map(async (uscc): Promise<CreditSource | undefined> => {
        const issuer = await this.deps.registry.issuer(caller, uscc);
        if (issuer === undefined) return undefined;
        const region = await this.deps.registry.region(caller, issuer.region);
        return region === undefined ? undefined : this.sourceOf(issuer, region);
      }),
    );
    return new Map(codes.map((code, i) => [code, found[i]]));
  }
}

/**
 * Freezes a parsed credit:profile answer whose record summaries are frozen already (freezeSummary), kept and shared by
 * later queries while the chain answers the same bytes. Its shape is known (flat reasons), so it is frozen level by
 * level, without freezeJson's walk and registration of every value.
 */
function freezeChainProfile(profile: ChainProfile): ChainProfile {
  for (const reason of profile.reasons) Object.freeze(reason);
  Object.freeze(profile.records);
  Object.freeze(profile.reasons);
  return Object.freeze(profile);
}

function freezeSummary(record: CreditRecordSummary): CreditRecordSummary {
  Object.freeze(record.domains);
  return Object.freeze(record);
}

/** What a profile remembers of one record. */
interface RecordMemo {
  /**
   * The record's anchor. The checks use only what the chain fixed at anchoring (hash, signed facts, signature, signer,
   * tx), which never changes, so one ledger read per record serves every later profile; the status comes from each
   * profile's own answer. Frozen: the signature check remembers its answer for the object.
   */
  readonly anchor: CreditRecord;
  /**
   * The profile record last answered (deeply frozen, so the JSON writer knows it by identity) and the listing it was
   * answered for. Reused when the chain lists the record as the very same summary object (parseChainProfile keeps a
   * summary listed with exactly the same fields) and its checks, run again on this query, answer alike: the same
   * JSON text.
   */
  answered: { readonly record: ProfileRecord; readonly listed: CreditRecordSummary } | undefined;
  /**
   * The inputs of the record's checks on the last query without detail, and the record they answered. The listing
   * and the source are frozen objects that later queries receive again only while unchanged (summaries are kept by
   * record ID while listed alike, sources by the registry answers), so identity stands for equality here.
   */
  checked:
    | {
        readonly listed: CreditRecordSummary;
        readonly source: CreditSource | undefined;
        readonly onDate: string;
        readonly subject: string;
        readonly record: ProfileRecord;
      }
    | undefined;
}

/** The record as this query answers it: the object answered before when listed and checked alike, else a new one. */
function answer(
  memo: RecordMemo,
  listed: CreditRecordSummary,
  checks: readonly CheckRecord<CreditCheckStep>[],
): ProfileRecord {
  const before = memo.answered;
  if (before !== undefined && before.listed === listed && sameChecks(before.record.checks, checks)) {
    return before.record;
  }
  const record = freezeJson({ ...listed, checks });
  memo.answered = { record, listed };
  return record;
}

/** Whether two runs of a record's checks answered alike, step by step. */
function sameChecks(a: readonly CheckRecord<CreditCheckStep>[], b: readonly CheckRecord<CreditCheckStep>[]): boolean {
  return (
    a.length === b.length &&
    a.every((check, i) => {
      const other = b[i];
      return other !== undefined && check.step === other.step && check.ok === other.ok && check.detail === other.detail;
    })
  );
}

/** Only a signed-in bank may ask for detail, and only what CreditDetailAccess allows (and logs) is read. */
async function openDetail(
  caller: User | undefined,
  uscc: string,
  onDate: string,
  detail: NonNullable<CreditProfileOptions['detail']>,
): Promise<DetailGrant> {
  if (caller === undefined) {
    throw new UnauthenticatedError('MISSING_TOKEN', 'the credit detail is for a signed-in bank; sign in');
  }
  if (caller.role !== 'bank') {
    throw new AccessDeniedError(`only a bank may read credit detail, not a ${caller.role}`, {
      userId: caller.id,
      role: caller.role,
    });
  }
  return detail.access.openDetail(
    caller,
    uscc,
    detail.purpose,
    `credit detail (full records, tax rating) as of ${onDate}`,
  );
}

function detailOf(
  listed: readonly CreditRecordSummary[],
  fullRecords: readonly (FullCreditRecord | undefined)[],
  grant: DetailGrant,
): CreditDetail {
  const records = listed.map((r, i) => ({
    recordId: r.recordId,
    recordHash: r.recordHash,
    record: fullRecords[i] ?? null,
  }));
  // The rating in force: the latest public TAX_RATING decision.
  let rating: CreditDetail['taxRating'] = null;
  listed.forEach((r, i) => {
    if (r.category !== 'TAX_RATING' || r.rating === null) return;
    if (rating !== null && rating.decisionDate >= r.decisionDate) return;
    const content = fullRecords[i]?.['content'];
    const year =
      typeof content === 'object' && content !== null && !Array.isArray(content) ? content['ratingYear'] : undefined;
    rating = {
      rating: r.rating,
      recordId: r.recordId,
      decisionDate: r.decisionDate,
      ratingYear: typeof year === 'number' ? year : null,
    };
  });
  return {
    records,
    taxRating: rating,
    consent: { id: grant.consentId, expiresOn: grant.expiresOn },
    audit: { seq: grant.audit.seq, entryHash: grant.audit.entryHash },
  };
}
