// Context is imported as a value: @Transaction reads its design-time type to skip it as a parameter.
import { Context, Info, Transaction } from 'fabric-contract-api';
import { sm3Hex, validateUscc } from '@certhub/certs-service';
import { ChaincodeRuleError, alreadyExists, invalidArgument, notFound } from '../errors';
import {
  CONSENT_SCOPES,
  consentSigningBytes,
  type Consent,
  type ConsentChange,
  type ConsentScope,
  type ConsentSignature,
} from '../model/consent';
import type { Region } from '../model/registry';
import { readSignedAt } from '../model/anchor-request';
import {
  assertBankOf,
  assertEnterpriseItself,
  assertEnterpriseOrAuthority,
  assertMayReadConsents,
  assertRegionAdmin,
  callerOf,
} from '../rules/access';
import { chinaDateOf, consentStateOn, decideConsent, registrationRegionCandidates } from '../rules/consent';
import {
  BASE64,
  assertSize,
  parsePageSize,
  requireDate,
  requireString,
  MAX_RECORDED_REASON_BYTES,
} from '../rules/input';
import { ObjectType } from '../state/keys';
import { pageIndex, readRecord, writeIndex, writeRecord } from '../state/repository';
import { fromBytes, readRequest, serialize } from '../serialization';
import { verifyEnterpriseSignature } from '../crypto/enterprise-signature';
import { CertHubContract, emit, stampOf, txTime } from './certhub-contract';

/** Fabric MSP IDs as the gateway's schemas spell them (BankMSP, …). */
const MSP_ID = /^[A-Za-z][A-Za-z0-9.-]{0,62}MSP$/;
const CONSENT_ID = /^cs-[0-9a-f]{32}$/;
/** A signed consent is submitted within a day of signing, and not dated ahead of the transaction (5 min of skew). */
const MAX_SIGNATURE_AGE_MS = 24 * 60 * 60 * 1000;
const SIGNING_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Consents (issue 6): an enterprise lets a bank read its credit detail (and/or licenses) until a date. A grant carries
 * either the enterprise's SM2 signature over `consentSigningBytes` (submitted by the enterprise itself) or is recorded
 * by its registration authority; either may revoke it. Indexed per enterprise and bank and per bank and enterprise (one
 * composite key per consent, no shared list), in grant order; `check` answers whether a bank may read a scope today.
 */
@Info({ title: 'consent', description: 'Enterprises’ consents for banks to read their credit detail' })
export class ConsentContract extends CertHubContract {
  constructor() {
    super('consent');
  }

  /**
   * request: {enterprise, bank, scope: [credit-detail|licenses], expiresOn, signedAt?, signature?, certificate?}. With
   * a signature (base64 DER SM2 over `consentSigningBytes`) the caller must be the enterprise itself; without one, the
   * consent is recorded by the enterprise's registration authority (the admin of its registration region).
   */
  @Transaction()
  async grant(ctx: Context, requestJson: string): Promise<string> {
    const caller = callerOf(ctx);
    const request = readRequest(requestJson);
    const enterprise = requireString(request, 'enterprise');
    validateUscc(enterprise);
    const region = await registrationRegion(ctx, enterprise);
    const signed = request['signature'] !== undefined && request['signature'] !== null;
    if (signed) {
      assertEnterpriseItself(caller, enterprise, region, `grant a signed consent for enterprise ${enterprise}`);
    } else {
      // A consent without the enterprise's signature stands only on the word of its registration authority.
      assertRegionAdmin(caller, region, `record a consent for enterprise ${enterprise}`);
      for (const field of ['signedAt', 'certificate'] as const) {
        if (request[field] !== undefined && request[field] !== null)
          throw invalidArgument(`${field} belongs to a signed consent, which needs a signature`, { field });
      }
    }
    const bank = requireString(request, 'bank', MSP_ID);
    const scope = readScope(request);
    const expiresOn = requireDate(request, 'expiresOn');
    const now = txTime(ctx);
    const today = chinaDateOf(now);
    if (expiresOn < today)
      throw invalidArgument('expiresOn is before the transaction date', { field: 'expiresOn', expiresOn, today });
    const signature = signed ? await readSignature(ctx, request, { enterprise, bank, scope, expiresOn }, region) : null;

    // The tx ID is the same on every endorser and unique: a deterministic, collision-free consent ID.
    const consentId = `cs-${ctx.stub.getTxID().slice(0, 32)}`;
    if ((await readRecord<Consent>(ctx, ObjectType.CONSENT, [consentId])) !== undefined)
      throw alreadyExists('consent', consentId);
    const stamp = stampOf(ctx, caller);
    const consent: Consent = {
      consentId,
      enterprise,
      region: region.code,
      bank,
      scope,
      expiresOn,
      grantedOn: today,
      signed: signature,
      recordedBy: signed ? null : { region: region.code, mspId: caller.mspId, actor: caller.id },
      status: 'ACTIVE',
      revokedOn: null,
      revocationReason: null,
      granted: stamp,
      lastChange: { ...stamp, action: 'grant', status: 'ACTIVE', effective: today, reason: null },
    };
    await writeRecord(ctx, ObjectType.CONSENT, [consentId], consent);
    // The grant time in the index keys lists each enterprise's (and bank's) consents oldest first.
    await writeIndex(ctx, ObjectType.ENTERPRISE_CONSENT, [enterprise, bank, stamp.timestamp, consentId]);
    await writeIndex(ctx, ObjectType.BANK_CONSENT, [bank, enterprise, stamp.timestamp, consentId]);
    if (signature !== null)
      await writeRecord(ctx, ObjectType.STATEMENT_CONSENT, [signature.statementHash], { consentId });
    emit(ctx, 'ConsentGranted', {
      consentId,
      enterprise,
      bank,
      scope,
      expiresOn,
      basis: signed ? 'SIGNED' : 'RECORDED',
    });
    return serialize(consent);
  }

  /** The enterprise or its registration authority withdraws a consent in force, with a reason; its history stays. */
  @Transaction()
  async revoke(ctx: Context, consentId: string, reason: string): Promise<string> {
    const caller = callerOf(ctx);
    assertSize('reason', reason, MAX_RECORDED_REASON_BYTES);
    const consent = await requireConsent(ctx, consentId);
    const region = await requireRegionRecord(ctx, consent.region);
    assertEnterpriseOrAuthority(caller, consent.enterprise, region, `revoke consent ${consentId}`);
    if (reason.trim() === '') throw invalidArgument('A revocation needs a reason', { field: 'reason' });
    const today = chinaDateOf(txTime(ctx));
    const state = consentStateOn(consent, today);
    if (state !== 'ACTIVE') {
      const why =
        state === 'REVOKED'
          ? `it was revoked on ${String(consent.revokedOn)}`
          : `it expired after ${consent.expiresOn}`;
      throw new ChaincodeRuleError('INVALID_STATE_TRANSITION', `Cannot revoke consent ${consentId}: ${why}`, {
        consentId,
        state,
        expiresOn: consent.expiresOn,
        revokedOn: consent.revokedOn,
      });
    }
    const change: ConsentChange = {
      ...stampOf(ctx, caller),
      action: 'revoke',
      status: 'REVOKED',
      effective: today,
      reason,
    };
    const updated: Consent = {
      ...consent,
      status: 'REVOKED',
      revokedOn: today,
      revocationReason: reason,
      lastChange: change,
    };
    await writeRecord(ctx, ObjectType.CONSENT, [consentId], updated);
    emit(ctx, 'ConsentRevoked', { consentId, enterprise: consent.enterprise, bank: consent.bank, revokedOn: today });
    return serialize(updated);
  }

  @Transaction(false)
  async get(ctx: Context, consentId: string): Promise<string> {
    const consent = await requireConsent(ctx, consentId);
    await assertReadable(ctx, consent.enterprise, consent.region, consent.bank, `read consent ${consentId}`);
    return serialize(consent);
  }

  /** Every change to a consent (grant, revocation), oldest first. */
  @Transaction(false)
  async history(ctx: Context, consentId: string): Promise<string> {
    const consent = await requireConsent(ctx, consentId);
    await assertReadable(ctx, consent.enterprise, consent.region, consent.bank, `read consent ${consentId}`);
    const key = ctx.stub.createCompositeKey(ObjectType.CONSENT, [consentId]);
    const entries: ConsentChange[] = [];
    for await (const modification of ctx.stub.getHistoryForKey(key)) {
      if (modification.isDelete) continue;
      entries.push((fromBytes(modification.value) as Consent).lastChange);
    }
    // Fabric returns history newest first.
    entries.reverse();
    return serialize({ consentId, entries });
  }

  /**
   * An enterprise's consents, by bank then oldest first (paginated, evaluate only); `bank` '' lists every bank's,
   * which only the enterprise and its registration authority may; a bank lists those naming it.
   */
  @Transaction(false)
  async listByEnterprise(
    ctx: Context,
    enterprise: string,
    bank: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    validateUscc(enterprise);
    if (bank !== '' && !MSP_ID.test(bank)) throw invalidArgument('bank must be an MSP ID or empty', { bank });
    const region = await registrationRegion(ctx, enterprise);
    await assertReadable(ctx, enterprise, region.code, bank === '' ? null : bank, `list consents of ${enterprise}`);
    const prefix = bank === '' ? [enterprise] : [enterprise, bank];
    const page = await pageIndex(ctx, ObjectType.ENTERPRISE_CONSENT, prefix, parsePageSize(pageSize), bookmark, (id) =>
      readRecord<Consent>(ctx, ObjectType.CONSENT, [id]),
    );
    return serialize(page);
  }

  /** The consents naming a bank, by enterprise then oldest first (paginated, evaluate only); only that bank reads them. */
  @Transaction(false)
  async listByBank(ctx: Context, bank: string, pageSize: string, bookmark: string): Promise<string> {
    if (!MSP_ID.test(bank)) throw invalidArgument('bank must be an MSP ID', { bank });
    assertBankOf(callerOf(ctx), bank, `list consents given to ${bank}`);
    const page = await pageIndex(ctx, ObjectType.BANK_CONSENT, [bank], parsePageSize(pageSize), bookmark, (id) =>
      readRecord<Consent>(ctx, ObjectType.CONSENT, [id]),
    );
    return serialize(page);
  }

  /**
   * Whether `bank` may read `scope` of `enterprise` on `onDate` ('' = the transaction's China date):
   * `{allowed: true, consent}` or `{allowed: false, reason: NO_CONSENT|EXPIRED|REVOKED|SCOPE, consent, since}`.
   */
  @Transaction(false)
  async check(ctx: Context, enterprise: string, bank: string, scope: string, onDate: string): Promise<string> {
    validateUscc(enterprise);
    if (!MSP_ID.test(bank)) throw invalidArgument('bank must be an MSP ID', { bank });
    if (!CONSENT_SCOPES.includes(scope as ConsentScope))
      throw invalidArgument(`scope must be one of ${CONSENT_SCOPES.join('|')}`, { field: 'scope', scope });
    const date = onDate === '' ? chinaDateOf(txTime(ctx)) : requireDate({ onDate }, 'onDate');
    const region = await registrationRegion(ctx, enterprise);
    await assertReadable(ctx, enterprise, region.code, bank, `check consents of ${enterprise}`);
    const consents: Consent[] = [];
    // One enterprise–bank pair has few consents (one per grant), so the whole prefix is read.
    for await (const kv of ctx.stub.getStateByPartialCompositeKey(ObjectType.ENTERPRISE_CONSENT, [enterprise, bank])) {
      const attributes = ctx.stub.splitCompositeKey(kv.key).attributes;
      const id = attributes[attributes.length - 1];
      if (id === undefined) continue;
      const consent = await readRecord<Consent>(ctx, ObjectType.CONSENT, [id]);
      if (consent !== undefined) consents.push(consent);
    }
    return serialize({
      enterprise,
      bank,
      scope,
      onDate: date,
      ...decideConsent(consents, scope as ConsentScope, date),
    });
  }
}

/** The first region of `registrationRegionCandidates` the hub knows; NOT_FOUND when none is registered. */
async function registrationRegion(ctx: Context, enterprise: string): Promise<Region> {
  const candidates = registrationRegionCandidates(enterprise);
  for (const code of candidates) {
    const region = await readRecord<Region>(ctx, ObjectType.REGION, [code]);
    if (region !== undefined) return region;
  }
  throw new ChaincodeRuleError('NOT_FOUND', `The registration region of enterprise ${enterprise} is not on the hub`, {
    kind: 'registration region',
    enterprise,
    tried: candidates,
  });
}

async function requireRegionRecord(ctx: Context, code: string): Promise<Region> {
  const region = await readRecord<Region>(ctx, ObjectType.REGION, [code]);
  if (region === undefined) throw notFound('region', code);
  return region;
}

async function requireConsent(ctx: Context, consentId: string): Promise<Consent> {
  if (!CONSENT_ID.test(consentId)) throw invalidArgument('consentId must look like cs-<32 hex>', { consentId });
  const consent = await readRecord<Consent>(ctx, ObjectType.CONSENT, [consentId]);
  if (consent === undefined) throw notFound('consent', consentId);
  return consent;
}

async function assertReadable(
  ctx: Context,
  enterprise: string,
  regionCode: string,
  bank: string | null,
  action: string,
): Promise<void> {
  assertMayReadConsents(callerOf(ctx), enterprise, await requireRegionRecord(ctx, regionCode), bank, action);
}

function readScope(request: Record<string, unknown>): ConsentScope[] {
  const value = request['scope'];
  if (!Array.isArray(value) || value.length === 0 || value.some((s) => !CONSENT_SCOPES.includes(s as ConsentScope))) {
    throw invalidArgument(`scope must be a non-empty array of ${CONSENT_SCOPES.join('|')}`, { field: 'scope' });
  }
  return [...new Set(value as ConsentScope[])].sort();
}

/** Verifies the enterprise's signature over the consent's terms and that the same statement was not used before. */
async function readSignature(
  ctx: Context,
  request: Record<string, unknown>,
  terms: { enterprise: string; bank: string; scope: ConsentScope[]; expiresOn: string },
  region: Region,
): Promise<ConsentSignature> {
  const signedAt = readSignedAt(request);
  if (signedAt === null) throw invalidArgument('A signed consent needs signedAt', { field: 'signedAt' });
  const at = txTime(ctx);
  const signedMs = Date.parse(signedAt);
  if (signedMs > at.getTime() + SIGNING_CLOCK_SKEW_MS || signedMs < at.getTime() - MAX_SIGNATURE_AGE_MS) {
    throw invalidArgument('signedAt must lie within the day before the transaction', {
      field: 'signedAt',
      signedAt,
      transactionTime: at.toISOString(),
    });
  }
  const signature = Buffer.from(requireString(request, 'signature', BASE64), 'base64');
  const certificate = requireString(request, 'certificate');
  const message = consentSigningBytes({ ...terms, signedAt });
  const certificateFingerprint = await verifyEnterpriseSignature({
    enterprise: terms.enterprise,
    region,
    certificatePem: certificate,
    message,
    signature,
    at,
  });
  // One consent per signed statement: after a revocation, the same signature cannot grant it again.
  const statementHash = sm3Hex(message);
  const earlier = await readRecord<{ consentId: string }>(ctx, ObjectType.STATEMENT_CONSENT, [statementHash]);
  if (earlier !== undefined) {
    throw new ChaincodeRuleError('ALREADY_EXISTS', 'This signed consent was already granted', {
      kind: 'consent',
      statementHash,
      consentId: earlier.consentId,
    });
  }
  return { signedAt, signature: signature.toString('base64'), certificate, certificateFingerprint, statementHash };
}
