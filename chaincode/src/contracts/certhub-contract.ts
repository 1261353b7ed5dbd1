import { Contract, type Context } from 'fabric-contract-api';
import { ChaincodeRuleError, notFound, toTransportError } from '../errors';
import type { HubConfig, Issuer, Region, Stamp } from '../model/registry';
import type { Caller } from '../rules/access';
import { ObjectType } from '../state/keys';
import { readRecord } from '../state/repository';
import { serialize } from '../serialization';

/**
 * What every CertHub contract shares: errors leave as `{code, message, context}` JSON (the only thing fabric-shim
 * carries back), time is the transaction's own timestamp, and registry lookups fail with typed errors.
 */
export abstract class CertHubContract extends Contract {
  // fabric-contract-api declares Promise<void>, but the dispatcher takes the transaction's result from this promise:
  // pass it through untouched and only translate errors.
  override aroundTransaction(ctx: Context, fn: never, parameters: never): Promise<void> {
    return super.aroundTransaction(ctx, fn, parameters).catch((error: unknown) => {
      throw toTransportError(error);
    });
  }

  override unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    return Promise.reject(
      toTransportError(new ChaincodeRuleError('INVALID_ARGUMENT', `Unknown transaction ${fcn}`, { transaction: fcn })),
    );
  }
}

/** Transaction time: the proposal timestamp, identical on every endorser (never the local clock). */
export function txTime(ctx: Context): Date {
  return ctx.stub.getDateTimestamp();
}

export function stampOf(ctx: Context, caller: Caller): Stamp {
  return { txId: ctx.stub.getTxID(), timestamp: txTime(ctx).toISOString(), mspId: caller.mspId, actor: caller.id };
}

export function emit(ctx: Context, name: string, payload: unknown): void {
  ctx.stub.setEvent(name, Buffer.from(serialize(payload), 'utf8'));
}

export async function requireHub(ctx: Context): Promise<HubConfig> {
  const hub = await readRecord<HubConfig>(ctx, ObjectType.HUB, ['config']);
  if (hub === undefined) throw new ChaincodeRuleError('HUB_NOT_INITIALISED', 'The hub has not been initialised');
  return hub;
}

export async function requireRegion(ctx: Context, code: string): Promise<Region> {
  const region = await readRecord<Region>(ctx, ObjectType.REGION, [code]);
  if (region === undefined) throw notFound('region', code);
  return region;
}

export async function requireIssuer(ctx: Context, uscc: string): Promise<Issuer> {
  const issuer = await readRecord<Issuer>(ctx, ObjectType.ISSUER, [uscc]);
  if (issuer === undefined) throw notFound('issuer', uscc);
  return issuer;
}
