// Context is imported as a value: @Transaction reads its design-time type to skip it as a parameter.
import { Context, Info, Transaction } from 'fabric-contract-api';
import { validateUscc } from '@certhub/certs-service';
import { ChaincodeRuleError, alreadyExists, invalidArgument, notFound } from '../errors';
import {
  CREDIT_CATEGORIES,
  PENALTY_DOMAINS,
  SEVERITIES,
  TAX_RATINGS,
  creditSigningBytes,
  summarize,
  type CreditAction,
  type CreditCategory,
  type CreditRecord,
  type CreditRecordSummary,
  type CreditStatus,
  type PenaltyDomain,
  type TaxRating,
} from '../model/credit';
import { assertCreditSourceOf, assertHubAdmin, callerOf } from '../rules/access';
import {
  BASE64,
  HEX_256,
  MAX_ARGUMENT_BYTES,
  assertSize,
  parsePageSize,
  requireDate,
  requireString,
  MAX_RECORDED_REASON_BYTES,
} from '../rules/input';
import { chinaDateOf } from '../rules/china-date';
import { isPublicOn, mayRepairOn, publicityWindow } from '../rules/publicity';
import { DEFAULT_CLASS_RULES, classify, parseClassRuleSet, type ClassRuleSet } from '../rules/supervision-class';
import { ObjectType } from '../state/keys';
import { listRecords, pageIndex, readRecord, writeIndex, writeRecord } from '../state/repository';
import { fromBytes, parseJsonArgument, readRequest, serialize } from '../serialization';
import { verifyIssuerSignature } from '../crypto/issuer-signature';
import { CertHubContract, emit, requireHub, requireIssuer, requireRegion, stampOf, txTime } from './certhub-contract';

const VERSION_DIGITS = 10;

/**
 * Credit records (issue 6): a source department anchors the SM3 hash of a record it signed with its SM2 key (the
 * department is registered like an issuer: its certificates chain to its region's root); it may later record a
 * repair (after the minimum publicity period) or a withdrawal (decision annulled). Nothing is ever deleted: each
 * change rewrites the record and the key's history keeps every version. Profiles classify the records public on a
 * date by the latest rule set stored on chain.
 */
@Info({ title: 'credit', description: 'Credit records, publicity, repair and supervision class' })
export class CreditContract extends CertHubContract {
  constructor() {
    super('credit');
  }

  /**
   * request: {subject, category, severity, decisionDate, source, recordHash, signature, certificate, domains?,
   * rating? (TAX_RATING), validUntil? (non-penalty records)}; the signature is over `creditSigningBytes`.
   */
  @Transaction()
  async anchorRecord(ctx: Context, requestJson: string): Promise<string> {
    const caller = callerOf(ctx);
    const request = readRequest(requestJson);
    const source = await requireIssuer(ctx, requireString(request, 'source'));
    const region = await requireRegion(ctx, source.region);
    assertCreditSourceOf(caller, source, region, 'anchor a credit record');
    const subject = requireString(request, 'subject');
    validateUscc(subject);
    const category = requireOneOf(request, 'category', CREDIT_CATEGORIES);
    const severity = requireOneOf(request, 'severity', SEVERITIES);
    const domains = readDomains(request, category);
    const rating = readRating(request, category);
    const decisionDate = requireDate(request, 'decisionDate');
    const today = txDate(ctx);
    if (decisionDate > today)
      throw invalidArgument('decisionDate is after the transaction date', { field: 'decisionDate', today });
    const validUntil = readValidUntil(request, category, decisionDate);
    const recordHash = requireString(request, 'recordHash', HEX_256);
    const signature = Buffer.from(requireString(request, 'signature', BASE64), 'base64');
    const certificatePem = requireString(request, 'certificate');
    const signer = await verifyIssuerSignature({
      issuer: source,
      region,
      certificatePem,
      message: creditSigningBytes({ recordHash, subject, category, severity, decisionDate, source: source.uscc }),
      signature,
      at: txTime(ctx),
    });
    // One anchor per full record: a resubmitted record (e.g. a gateway retry) is refused, naming the first anchor.
    const existing = await readRecord<{ recordId: string }>(ctx, ObjectType.HASH_CREDIT, [recordHash]);
    if (existing !== undefined) {
      throw new ChaincodeRuleError('ALREADY_EXISTS', `Record hash ${recordHash} is already anchored`, {
        kind: 'credit record',
        recordHash,
        recordId: existing.recordId,
      });
    }
    // The tx ID is the same on every endorser and unique: a deterministic, collision-free record ID.
    const recordId = `cr-${ctx.stub.getTxID().slice(0, 32)}`;
    if ((await readRecord<CreditRecord>(ctx, ObjectType.CREDIT_RECORD, [recordId])) !== undefined)
      throw alreadyExists('credit record', recordId);
    const window = publicityWindow(category, severity, domains, decisionDate, validUntil);
    const stamp = stampOf(ctx, caller);
    const record: CreditRecord = {
      recordId,
      subject,
      category,
      severity,
      domains,
      rating,
      decisionDate,
      minimumUntil: window.minimumUntil,
      publicUntil: window.publicUntil,
      source: source.uscc,
      region: region.code,
      recordHash,
      signature: signature.toString('base64'),
      signerFingerprint: signer.fingerprint,
      status: 'ACTIVE',
      repairedOn: null,
      withdrawnOn: null,
      anchored: stamp,
      lastChange: { ...stamp, action: 'anchor', status: 'ACTIVE', effective: today, reason: null },
    };
    await writeRecord(ctx, ObjectType.CREDIT_RECORD, [recordId], record);
    await writeIndex(ctx, ObjectType.SUBJECT_CREDIT, [subject, recordId]);
    await writeIndex(ctx, ObjectType.SOURCE_CREDIT, [source.uscc, recordId]);
    await writeRecord(ctx, ObjectType.HASH_CREDIT, [recordHash], { recordId });
    emit(ctx, 'CreditRecordAnchored', {
      recordId,
      subject,
      category,
      severity,
      source: source.uscc,
      recordHash,
      publicUntil: record.publicUntil,
    });
    return serialize(record);
  }

  /** The source records a credit repair; only after the minimum publicity period (tx date). */
  @Transaction()
  async repair(ctx: Context, recordId: string, reason: string): Promise<string> {
    return this.change(ctx, recordId, 'repair', reason);
  }

  /** The source records that the decision was annulled: the record leaves profiles; its history stays. */
  @Transaction()
  async withdraw(ctx: Context, recordId: string, reason: string): Promise<string> {
    return this.change(ctx, recordId, 'withdraw', reason);
  }

  @Transaction(false)
  async get(ctx: Context, recordId: string): Promise<string> {
    return serialize(await this.require(ctx, recordId));
  }

  /**
   * Several records at once, in the order asked, null for an ID that names none (evaluate only): a gateway meeting an
   * enterprise's 1,000 records for the first time reads their anchors in a few queries rather than 1,000.
   */
  @Transaction(false)
  async getMany(ctx: Context, recordIdsJson: string): Promise<string> {
    assertSize('recordIds', recordIdsJson, MAX_ARGUMENT_BYTES);
    const recordIds = parseRecordIds(recordIdsJson);
    const records: (CreditRecord | null)[] = [];
    for (const recordId of recordIds) {
      records.push((await readRecord<CreditRecord>(ctx, ObjectType.CREDIT_RECORD, [recordId])) ?? null);
    }
    return serialize(records);
  }

  /** The record anchored for a full record's SM3 hash (how a verifier finds the anchor of a record it holds). */
  @Transaction(false)
  async getByHash(ctx: Context, recordHash: string): Promise<string> {
    if (!HEX_256.test(recordHash))
      throw invalidArgument('recordHash must be 64 lower-case hex digits', { field: 'recordHash' });
    const entry = await readRecord<{ recordId: string }>(ctx, ObjectType.HASH_CREDIT, [recordHash]);
    if (entry === undefined) throw notFound('credit record with hash', recordHash);
    return serialize(await this.require(ctx, entry.recordId));
  }

  /** Every change to a record, oldest first. */
  @Transaction(false)
  async history(ctx: Context, recordId: string): Promise<string> {
    const key = ctx.stub.createCompositeKey(ObjectType.CREDIT_RECORD, [recordId]);
    const entries = [];
    for await (const modification of ctx.stub.getHistoryForKey(key)) {
      if (modification.isDelete) continue;
      entries.push((fromBytes(modification.value) as CreditRecord).lastChange);
    }
    if (entries.length === 0) throw notFound('credit record', recordId);
    // Fabric returns history newest first.
    entries.reverse();
    return serialize({ recordId, entries });
  }

  /** All records of a subject, whatever their status (paginated, evaluate only). */
  @Transaction(false)
  async listBySubject(ctx: Context, subject: string, pageSize: string, bookmark: string): Promise<string> {
    validateUscc(subject);
    return this.page(ctx, ObjectType.SUBJECT_CREDIT, subject, pageSize, bookmark);
  }

  /** All records a source department anchored, whatever their status (paginated, evaluate only). */
  @Transaction(false)
  async listBySource(ctx: Context, source: string, pageSize: string, bookmark: string): Promise<string> {
    validateUscc(source);
    return this.page(ctx, ObjectType.SOURCE_CREDIT, source, pageSize, bookmark);
  }

  /** Stores a new rule set; its version must be the next one after the current (the built-in default is 1). */
  @Transaction()
  async setClassRules(ctx: Context, ruleSetJson: string): Promise<string> {
    const caller = callerOf(ctx);
    assertHubAdmin(caller, await requireHub(ctx), 'set supervision class rules');
    assertSize('ruleSet', ruleSetJson, MAX_ARGUMENT_BYTES);
    const ruleSet = parseClassRuleSet(parseJsonArgument('ruleSet', ruleSetJson));
    const current = await this.currentRules(ctx);
    if (ruleSet.version !== current.version + 1) {
      throw invalidArgument(`The next rule set version is ${current.version + 1}`, {
        field: 'version',
        expected: current.version + 1,
      });
    }
    const stored = { ...ruleSet, set: stampOf(ctx, caller) };
    await writeRecord(ctx, ObjectType.CLASS_RULES, [versionKey(ruleSet.version)], stored);
    emit(ctx, 'ClassRulesSet', { version: ruleSet.version });
    return serialize(stored);
  }

  /** A stored rule set by version, or the current one for ''. */
  @Transaction(false)
  async getClassRules(ctx: Context, version: string): Promise<string> {
    if (version === '') return serialize(await this.currentRules(ctx));
    if (!/^\d{1,10}$/.test(version)) throw invalidArgument('version must be a positive integer', { version });
    if (Number(version) === DEFAULT_CLASS_RULES.version) {
      const stored = await readRecord<ClassRuleSet>(ctx, ObjectType.CLASS_RULES, [versionKey(1)]);
      return serialize(stored ?? DEFAULT_CLASS_RULES);
    }
    const stored = await readRecord<ClassRuleSet>(ctx, ObjectType.CLASS_RULES, [versionKey(Number(version))]);
    if (stored === undefined) throw notFound('class rule set', version);
    return serialize(stored);
  }

  /**
   * {subject, onDate, class, ruleSet, reasons, records}: the records public on `onDate` ('' = tx date), classified;
   * records as summaries (`get` has the full anchor).
   */
  @Transaction(false)
  async profile(ctx: Context, subject: string, onDate: string): Promise<string> {
    validateUscc(subject);
    const date = onDate === '' ? txDate(ctx) : requireDate({ onDate }, 'onDate');
    const records: CreditRecord[] = [];
    for await (const kv of ctx.stub.getStateByPartialCompositeKey(ObjectType.SUBJECT_CREDIT, [subject])) {
      const id = ctx.stub.splitCompositeKey(kv.key).attributes[1];
      if (id === undefined) continue;
      const record = await readRecord<CreditRecord>(ctx, ObjectType.CREDIT_RECORD, [id]);
      if (record !== undefined && isPublicOn(record, date)) records.push(record);
    }
    const ruleSet = await this.currentRules(ctx);
    const verdict = classify(ruleSet, records);
    return serialize({
      subject,
      onDate: date,
      class: verdict.class,
      ruleSet: ruleSet.version,
      reasons: verdict.reasons,
      records: records.map(summaryOf),
    });
  }

  private async page(ctx: Context, index: string, owner: string, pageSize: string, bookmark: string): Promise<string> {
    const page = await pageIndex(ctx, index, [owner], parsePageSize(pageSize), bookmark, (id) =>
      readRecord<CreditRecord>(ctx, ObjectType.CREDIT_RECORD, [id]),
    );
    return serialize(page);
  }

  private async currentRules(ctx: Context): Promise<ClassRuleSet> {
    // Few versions ever exist; keys are zero-padded so the last one listed is the newest.
    const stored = await listRecords<ClassRuleSet>(ctx, ObjectType.CLASS_RULES, []);
    return stored[stored.length - 1] ?? DEFAULT_CLASS_RULES;
  }

  private async require(ctx: Context, recordId: string): Promise<CreditRecord> {
    const record = await readRecord<CreditRecord>(ctx, ObjectType.CREDIT_RECORD, [recordId]);
    if (record === undefined) throw notFound('credit record', recordId);
    return record;
  }

  private async change(ctx: Context, recordId: string, action: 'repair' | 'withdraw', reason: string): Promise<string> {
    const caller = callerOf(ctx);
    assertSize('reason', reason, MAX_RECORDED_REASON_BYTES);
    const record = await this.require(ctx, recordId);
    const source = await requireIssuer(ctx, record.source);
    assertCreditSourceOf(caller, source, await requireRegion(ctx, source.region), `${action} a credit record`);
    if (reason === '') throw invalidArgument(`A ${action} needs a reason`, { field: 'reason' });
    const today = txDate(ctx);
    if (record.status !== 'ACTIVE') throw illegal(record, action, `the record is ${record.status}`);
    if (action === 'repair' && !mayRepairOn(record, today))
      throw illegal(record, action, `the minimum publicity period runs until ${record.minimumUntil}`);
    const status: CreditStatus = action === 'repair' ? 'REPAIRED' : 'WITHDRAWN';
    const updated: CreditRecord = {
      ...record,
      status,
      repairedOn: action === 'repair' ? today : record.repairedOn,
      withdrawnOn: action === 'withdraw' ? today : record.withdrawnOn,
      lastChange: { ...stampOf(ctx, caller), action, status, effective: today, reason },
    };
    await writeRecord(ctx, ObjectType.CREDIT_RECORD, [recordId], updated);
    emit(ctx, action === 'repair' ? 'CreditRecordRepaired' : 'CreditRecordWithdrawn', {
      recordId,
      subject: record.subject,
      status,
      effective: today,
    });
    return serialize(updated);
  }
}

/**
 * The transaction's calendar day in China (UTC+8), like the gateway's and the consent contract's dates: a decision
 * dated today in Beijing is anchorable at 01:00 there, and a repair or withdrawal carries the day it happened there.
 */
function txDate(ctx: Context): string {
  return chinaDateOf(txTime(ctx));
}

function versionKey(version: number): string {
  return String(version).padStart(VERSION_DIGITS, '0');
}

function requireOneOf<T extends string>(request: Record<string, unknown>, field: string, allowed: readonly T[]): T {
  const value = request[field];
  if (!allowed.includes(value as T))
    throw invalidArgument(`${field} must be one of ${allowed.join('|')}`, { field, value });
  return value as T;
}

/** Penalty types of a decision (for the longest-period rule); only penalties carry them. */
function readDomains(request: Record<string, unknown>, category: CreditCategory): PenaltyDomain[] {
  const value = request['domains'];
  if (value === undefined || value === null) return category === 'ADMIN_PENALTY' ? ['OTHER'] : [];
  if (category !== 'ADMIN_PENALTY') throw invalidArgument('Only a penalty has domains', { field: 'domains' });
  if (!Array.isArray(value) || value.length === 0 || value.some((d) => !PENALTY_DOMAINS.includes(d as PenaltyDomain)))
    throw invalidArgument(`domains must be a non-empty array of ${PENALTY_DOMAINS.join('|')}`, { field: 'domains' });
  return [...new Set(value as PenaltyDomain[])].sort();
}

function readRating(request: Record<string, unknown>, category: CreditCategory): TaxRating | null {
  if (category === 'TAX_RATING') return requireOneOf(request, 'rating', TAX_RATINGS);
  if (request['rating'] !== undefined && request['rating'] !== null)
    throw invalidArgument('Only a tax rating has a rating', { field: 'rating' });
  return null;
}

/** Non-penalty records may end on a date of their own; a penalty's end follows from the publicity rules. */
function readValidUntil(
  request: Record<string, unknown>,
  category: CreditCategory,
  decisionDate: string,
): string | null {
  if (request['validUntil'] === undefined || request['validUntil'] === null) return null;
  if (category === 'ADMIN_PENALTY')
    throw invalidArgument("A penalty's publicity end follows from the national rules", { field: 'validUntil' });
  const validUntil = requireDate(request, 'validUntil');
  if (validUntil < decisionDate)
    throw invalidArgument('validUntil is before decisionDate', { field: 'validUntil', decisionDate, validUntil });
  return validUntil;
}

function illegal(record: CreditRecord, action: CreditAction, why: string): ChaincodeRuleError {
  return new ChaincodeRuleError(
    'INVALID_STATE_TRANSITION',
    `Cannot ${action} credit record ${record.recordId}: ${why}`,
    {
      recordId: record.recordId,
      action,
      status: record.status,
      minimumUntil: record.minimumUntil,
    },
  );
}

/**
 * Summaries of records read as shared frozen parses (repository.parseStored), kept with the record: the embedded
 * ledger hands a profile the same thousand record objects until they change, and a frozen summary is also serialised
 * without being walked again (sortedKeyJson). A record of its own (a peer's fresh read) is summarised as it is.
 */
const summaries = new WeakMap<CreditRecord, CreditRecordSummary>();

function summaryOf(record: CreditRecord): CreditRecordSummary {
  if (!Object.isFrozen(record)) return summarize(record);
  let summary = summaries.get(record);
  if (summary === undefined) {
    // Its members are the record's own (frozen) values, so freezing the summary itself freezes it through.
    summary = Object.freeze(summarize(record));
    summaries.set(record, summary);
  }
  return summary;
}

/** At most this many records per getMany (its argument stays under MAX_ARGUMENT_BYTES: IDs are 35 characters). */
export const MAX_RECORDS_PER_GET_MANY = 200;

/** What a record ID can be (they are `cr-` and 32 hex digits; anything printable is looked up, and not found). */
const RECORD_ID_TEXT = /^[\x21-\x7e]{1,128}$/;

/** getMany's argument: a JSON array of 1 to MAX_RECORDS_PER_GET_MANY record IDs. */
function parseRecordIds(json: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw invalidArgument('recordIds is not valid JSON', { argument: 'recordIds' });
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > MAX_RECORDS_PER_GET_MANY) {
    throw invalidArgument(`recordIds must be an array of 1 to ${MAX_RECORDS_PER_GET_MANY} record IDs`, {
      argument: 'recordIds',
    });
  }
  return parsed.map((id: unknown, index) => {
    if (typeof id !== 'string' || !RECORD_ID_TEXT.test(id)) {
      throw invalidArgument('each record ID must be 1 to 128 printable ASCII characters', {
        argument: 'recordIds',
        index,
      });
    }
    return id;
  });
}
