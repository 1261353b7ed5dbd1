// Context is imported as a value: @Transaction reads its design-time type to skip it as a parameter.
import { Context, Info, Transaction } from 'fabric-contract-api';
import { parseLicenseId } from '@certhub/certs-service';
import { ChaincodeRuleError, invalidArgument, notFound } from '../errors';
import type { LicenseType } from '../model/registry';
import type { RecognitionAgreement } from '../model/recognition';
import { assertRegionAdmin, callerOf, forbiddenUnlessAny } from '../rules/access';
import { REGION_CODE, assertReason, requireDate, requireString, requireStringArray } from '../rules/input';
import { chinaDateOf } from '../rules/china-date';
import { ObjectType } from '../state/keys';
import { readRecord, writeIndex, writeRecord } from '../state/repository';
import { readRequest, serialize } from '../serialization';
import { CertHubContract, emit, requireIssuer, requireRegion, stampOf, txTime } from './certhub-contract';

/**
 * Mutual recognition: region A accepts license types T issued in region B. Either region's admin proposes, the other
 * region's admin accepts, either revokes. A verifier's region recognises a license of its own region, or of a region
 * it has an active agreement with for that type on the transaction's date.
 */
@Info({ title: 'recognition', description: 'Mutual-recognition agreements between regions' })
export class RecognitionContract extends CertHubContract {
  constructor() {
    super('recognition');
  }

  /** request: {acceptingRegion, issuingRegion, licenseTypes, validFrom, validUntil|null}. */
  @Transaction()
  async propose(ctx: Context, requestJson: string): Promise<string> {
    const caller = callerOf(ctx);
    const request = readRequest(requestJson);
    const accepting = await requireRegion(ctx, requireString(request, 'acceptingRegion', REGION_CODE));
    const issuing = await requireRegion(ctx, requireString(request, 'issuingRegion', REGION_CODE));
    if (accepting.code === issuing.code)
      throw invalidArgument('An agreement is between two different regions', { field: 'issuingRegion' });
    const proposer = forbiddenUnlessAny(caller, [accepting, issuing], 'propose a recognition agreement');
    const licenseTypes = requireStringArray(request, 'licenseTypes');
    for (const code of licenseTypes) {
      if ((await readRecord<LicenseType>(ctx, ObjectType.LICENSE_TYPE, [code])) === undefined)
        throw notFound('license type', code);
    }
    const validFrom = requireDate(request, 'validFrom');
    const validUntil =
      request['validUntil'] === null || request['validUntil'] === undefined ? null : requireDate(request, 'validUntil');
    if (validUntil !== null && validUntil < validFrom)
      throw invalidArgument('validUntil is before validFrom', { field: 'validUntil' });
    const agreement: RecognitionAgreement = {
      // The tx ID is the same on every endorser and unique: a deterministic, collision-free agreement ID.
      id: `rec-${ctx.stub.getTxID().slice(0, 32)}`,
      acceptingRegion: accepting.code,
      issuingRegion: issuing.code,
      licenseTypes,
      validFrom,
      validUntil,
      status: 'PROPOSED',
      proposedBy: proposer.code,
      proposed: stampOf(ctx, caller),
      accepted: null,
      revoked: null,
      revocationReason: null,
    };
    await this.save(ctx, agreement, true);
    emit(ctx, 'RecognitionProposed', {
      id: agreement.id,
      acceptingRegion: accepting.code,
      issuingRegion: issuing.code,
      licenseTypes,
    });
    return serialize(agreement);
  }

  /** The other region's admin accepts a proposed agreement. */
  @Transaction()
  async accept(ctx: Context, id: string): Promise<string> {
    const caller = callerOf(ctx);
    const agreement = await this.require(ctx, id);
    const counterpart =
      agreement.proposedBy === agreement.acceptingRegion ? agreement.issuingRegion : agreement.acceptingRegion;
    assertRegionAdmin(caller, await requireRegion(ctx, counterpart), 'accept a recognition agreement');
    if (agreement.status !== 'PROPOSED') throw illegal(agreement, 'accept');
    const accepted: RecognitionAgreement = { ...agreement, status: 'ACTIVE', accepted: stampOf(ctx, caller) };
    await this.save(ctx, accepted, false);
    emit(ctx, 'RecognitionAccepted', { id });
    return serialize(accepted);
  }

  /** Either region's admin ends a proposed or active agreement, saying why (recorded with the agreement). */
  @Transaction()
  async revoke(ctx: Context, id: string, reason: string): Promise<string> {
    const caller = callerOf(ctx);
    assertReason(reason);
    const agreement = await this.require(ctx, id);
    forbiddenUnlessAny(
      caller,
      [await requireRegion(ctx, agreement.acceptingRegion), await requireRegion(ctx, agreement.issuingRegion)],
      'revoke a recognition agreement',
    );
    if (agreement.status === 'REVOKED') throw illegal(agreement, 'revoke');
    const revoked: RecognitionAgreement = {
      ...agreement,
      status: 'REVOKED',
      revoked: stampOf(ctx, caller),
      revocationReason: reason,
    };
    await this.save(ctx, revoked, false);
    emit(ctx, 'RecognitionRevoked', { id });
    return serialize(revoked);
  }

  @Transaction(false)
  async get(ctx: Context, id: string): Promise<string> {
    return serialize(await this.require(ctx, id));
  }

  /** Agreements a region takes part in, either side. */
  @Transaction(false)
  async list(ctx: Context, regionCode: string): Promise<string> {
    return serialize(await this.forRegion(ctx, regionCode));
  }

  /**
   * Whether `verifierRegion` recognises `licenseId` on `onDate` (YYYY-MM-DD, China calendar; '' for the China date of
   * the transaction): {recognised, reason, agreementId}. Verifiers pass the date: an answer that depends on arguments
   * and state alone can be served again until an agreement changes, one that reads the tx time cannot.
   */
  @Transaction(false)
  async recognises(ctx: Context, verifierRegion: string, licenseId: string, onDate: string): Promise<string> {
    const today = onDate === '' ? chinaDateOf(txTime(ctx)) : requireDate({ onDate }, 'onDate');
    const parsed = parseLicenseId(licenseId);
    const issuer = await requireIssuer(ctx, parsed.issuerUscc);
    if (issuer.region === verifierRegion)
      return serialize({ recognised: true, reason: 'SAME_REGION', agreementId: null });
    const match = (await this.forRegion(ctx, verifierRegion)).find(
      (a) =>
        a.status === 'ACTIVE' &&
        a.acceptingRegion === verifierRegion &&
        a.issuingRegion === issuer.region &&
        a.licenseTypes.includes(parsed.typeCode) &&
        a.validFrom <= today &&
        (a.validUntil === null || today <= a.validUntil),
    );
    return serialize(
      match === undefined
        ? { recognised: false, reason: 'NO_AGREEMENT', agreementId: null }
        : { recognised: true, reason: 'AGREEMENT', agreementId: match.id },
    );
  }

  private async require(ctx: Context, id: string): Promise<RecognitionAgreement> {
    const agreement = await readRecord<RecognitionAgreement>(ctx, ObjectType.RECOGNITION, [id]);
    if (agreement === undefined) throw notFound('recognition agreement', id);
    return agreement;
  }

  private async save(ctx: Context, agreement: RecognitionAgreement, isNew: boolean): Promise<void> {
    await writeRecord(ctx, ObjectType.RECOGNITION, [agreement.id], agreement);
    if (isNew) {
      await writeIndex(ctx, ObjectType.REGION_RECOGNITION, [agreement.acceptingRegion, agreement.id]);
      await writeIndex(ctx, ObjectType.REGION_RECOGNITION, [agreement.issuingRegion, agreement.id]);
    }
  }

  private async forRegion(ctx: Context, regionCode: string): Promise<RecognitionAgreement[]> {
    const agreements: RecognitionAgreement[] = [];
    for await (const kv of ctx.stub.getStateByPartialCompositeKey(ObjectType.REGION_RECOGNITION, [regionCode])) {
      const id = ctx.stub.splitCompositeKey(kv.key).attributes[1];
      if (id === undefined) continue;
      const agreement = await readRecord<RecognitionAgreement>(ctx, ObjectType.RECOGNITION, [id]);
      if (agreement !== undefined) agreements.push(agreement);
    }
    return agreements;
  }
}

function illegal(agreement: RecognitionAgreement, action: string): ChaincodeRuleError {
  return new ChaincodeRuleError(
    'INVALID_STATE_TRANSITION',
    `Cannot ${action} agreement ${agreement.id} in status ${agreement.status}`,
    {
      id: agreement.id,
      action,
      status: agreement.status,
    },
  );
}
