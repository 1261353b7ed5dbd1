// Context is imported as a value: @Transaction reads its design-time type to skip it as a parameter.
import { Context, Info, Transaction } from 'fabric-contract-api';
import { validateLicenseTypeCode, validateUscc } from '@certhub/certs-service';
import { ChaincodeRuleError, alreadyExists, invalidArgument, notFound } from '../errors';
import type { HubConfig, Issuer, IssuerCertificate, LicenseType, Region } from '../model/registry';
import { assertHubAdmin, assertMayInitialiseHub, assertRegionAdmin, callerOf } from '../rules/access';
import { MAX_ARGUMENT_BYTES, REGION_CODE, assertReason, assertSize, parsePageSize } from '../rules/input';
import { ObjectType } from '../state/keys';
import { listRecords, pageIndex, readRecord, writeIndex, writeRecord } from '../state/repository';
import { serialize } from '../serialization';
import { assertChainsToRegion, assertValidAt, parseCertificate } from '../crypto/issuer-signature';
import { CertHubContract, emit, requireHub, requireIssuer, requireRegion, stampOf, txTime } from './certhub-contract';

/**
 * The registry: regions with their MSP and SM2 root CA, license types, and issuers with their authorised types and
 * SM2 signing certificates (registered, rotated and retired by the region's admin).
 */
@Info({ title: 'registry', description: 'Regions, license types and issuers' })
export class RegistryContract extends CertHubContract {
  constructor() {
    super('registry');
  }

  /** Bootstraps governance: the calling hub-admin's MSP becomes the hub MSP. Once only. */
  @Transaction()
  async initHub(ctx: Context): Promise<string> {
    const caller = callerOf(ctx);
    assertMayInitialiseHub(caller);
    if ((await readRecord<HubConfig>(ctx, ObjectType.HUB, ['config'])) !== undefined)
      throw alreadyExists('hub', 'config');
    const hub: HubConfig = { hubMspId: caller.mspId, created: stampOf(ctx, caller) };
    await writeRecord(ctx, ObjectType.HUB, ['config'], hub);
    emit(ctx, 'HubInitialised', { hubMspId: hub.hubMspId });
    return serialize(hub);
  }

  @Transaction()
  async addRegion(
    ctx: Context,
    code: string,
    name: string,
    mspId: string,
    rootCertificatePem: string,
  ): Promise<string> {
    const caller = callerOf(ctx);
    assertHubAdmin(caller, await requireHub(ctx), 'add a region');
    if (!REGION_CODE.test(code))
      throw invalidArgument('region code must be 6 digits (GB/T 2260)', { field: 'code', value: code });
    if (name.trim() === '' || mspId.trim() === '') throw invalidArgument('name and mspId must not be empty');
    assertSize('rootCertificatePem', rootCertificatePem, MAX_ARGUMENT_BYTES);
    const root = parseCertificate(rootCertificatePem, 'rootCertificatePem');
    if (!root.isCa) throw invalidArgument('The region root must be a CA certificate', { field: 'rootCertificatePem' });
    if ((await readRecord<Region>(ctx, ObjectType.REGION, [code])) !== undefined) throw alreadyExists('region', code);
    const region: Region = {
      code,
      name,
      mspId,
      rootCertificatePem: root.pem,
      rootFingerprint: root.fingerprint(),
      created: stampOf(ctx, caller),
    };
    // A root outside its validity cannot anchor any chain at this time.
    assertValidAt(root, txTime(ctx));
    await writeRecord(ctx, ObjectType.REGION, [code], region);
    emit(ctx, 'RegionAdded', { code, mspId, rootFingerprint: region.rootFingerprint });
    return serialize(region);
  }

  @Transaction()
  async addLicenseType(ctx: Context, code: string, name: string, holderIdType: string): Promise<string> {
    const caller = callerOf(ctx);
    assertHubAdmin(caller, await requireHub(ctx), 'add a license type');
    validateLicenseTypeCode(code);
    if (name.trim() === '') throw invalidArgument('name must not be empty', { field: 'name' });
    if (holderIdType !== '001' && holderIdType !== '111') {
      throw invalidArgument('holderIdType must be 001 (USCC) or 111 (resident ID)', {
        field: 'holderIdType',
        value: holderIdType,
      });
    }
    if ((await readRecord<LicenseType>(ctx, ObjectType.LICENSE_TYPE, [code])) !== undefined)
      throw alreadyExists('license type', code);
    const type: LicenseType = { code, name, authority: code.slice(0, 18), holderIdType, created: stampOf(ctx, caller) };
    await writeRecord(ctx, ObjectType.LICENSE_TYPE, [code], type);
    emit(ctx, 'LicenseTypeAdded', { code, holderIdType });
    return serialize(type);
  }

  /** Registers an issuer in the caller's region, authorised for `licenseTypesJson` (a JSON array of type codes). */
  @Transaction()
  async registerIssuer(
    ctx: Context,
    uscc: string,
    name: string,
    regionCode: string,
    licenseTypesJson: string,
  ): Promise<string> {
    const caller = callerOf(ctx);
    const region = await requireRegion(ctx, regionCode);
    assertRegionAdmin(caller, region, 'register an issuer');
    validateUscc(uscc);
    if (name.trim() === '') throw invalidArgument('name must not be empty', { field: 'name' });
    const licenseTypes = await this.parseLicenseTypes(ctx, licenseTypesJson);
    if ((await readRecord<Issuer>(ctx, ObjectType.ISSUER, [uscc])) !== undefined) throw alreadyExists('issuer', uscc);
    const issuer: Issuer = {
      uscc,
      name,
      region: region.code,
      licenseTypes,
      certificates: [],
      updated: stampOf(ctx, caller),
    };
    await writeRecord(ctx, ObjectType.ISSUER, [uscc], issuer);
    await writeIndex(ctx, ObjectType.REGION_ISSUER, [region.code, uscc]);
    emit(ctx, 'IssuerRegistered', { uscc, region: region.code, licenseTypes });
    return serialize(issuer);
  }

  @Transaction()
  async setIssuerLicenseTypes(ctx: Context, uscc: string, licenseTypesJson: string): Promise<string> {
    const caller = callerOf(ctx);
    const issuer = await requireIssuer(ctx, uscc);
    assertRegionAdmin(caller, await requireRegion(ctx, issuer.region), 'change an issuer');
    const licenseTypes = await this.parseLicenseTypes(ctx, licenseTypesJson);
    const updated: Issuer = { ...issuer, licenseTypes, updated: stampOf(ctx, caller) };
    await writeRecord(ctx, ObjectType.ISSUER, [uscc], updated);
    emit(ctx, 'IssuerChanged', { uscc, licenseTypes });
    return serialize(updated);
  }

  /** Adds an SM2 signing certificate, which must chain to the region root now and name the issuer's USCC if it names one. */
  @Transaction()
  async addIssuerCertificate(ctx: Context, uscc: string, certificatePem: string): Promise<string> {
    const caller = callerOf(ctx);
    const issuer = await requireIssuer(ctx, uscc);
    const region = await requireRegion(ctx, issuer.region);
    assertRegionAdmin(caller, region, 'add an issuer certificate');
    assertSize('certificatePem', certificatePem, MAX_ARGUMENT_BYTES);
    const certificate = parseCertificate(certificatePem, 'certificatePem');
    if (certificate.isCa)
      throw invalidArgument('An issuer signing certificate must not be a CA', { field: 'certificatePem' });
    if (certificate.uscc !== undefined && certificate.uscc !== uscc) {
      throw invalidArgument('The certificate names another USCC', { field: 'certificatePem', uscc: certificate.uscc });
    }
    await assertChainsToRegion(certificate, region, txTime(ctx));
    const fingerprint = certificate.fingerprint();
    if (issuer.certificates.some((c) => c.fingerprint === fingerprint))
      throw alreadyExists('issuer certificate', fingerprint);
    const entry: IssuerCertificate = {
      fingerprint,
      pem: certificate.pem,
      notBefore: certificate.notBefore.toISOString(),
      notAfter: certificate.notAfter.toISOString(),
      registeredAt: txTime(ctx).toISOString(),
      retiredAt: null,
      retirementReason: null,
    };
    const updated: Issuer = { ...issuer, certificates: [...issuer.certificates, entry], updated: stampOf(ctx, caller) };
    await writeRecord(ctx, ObjectType.ISSUER, [uscc], updated);
    emit(ctx, 'IssuerCertificateAdded', { uscc, fingerprint });
    return serialize(updated);
  }

  /**
   * Retires a signing key from `retiredAt` (ISO time, default: now; earlier times cover a key compromised before it
   * was noticed); signatures after it are refused. A retirement can only move earlier: moving it later would make
   * valid again what verifiers were already told is signed by a retired key.
   */
  @Transaction()
  async retireIssuerCertificate(
    ctx: Context,
    uscc: string,
    fingerprint: string,
    retiredAt: string,
    reason: string,
  ): Promise<string> {
    const caller = callerOf(ctx);
    const issuer = await requireIssuer(ctx, uscc);
    assertRegionAdmin(caller, await requireRegion(ctx, issuer.region), 'retire an issuer certificate');
    const at = retiredAt === '' ? txTime(ctx) : new Date(retiredAt);
    if (Number.isNaN(at.getTime()))
      throw invalidArgument('retiredAt must be an ISO time or empty', { field: 'retiredAt', value: retiredAt });
    assertReason(reason);
    const existing = issuer.certificates.find((c) => c.fingerprint === fingerprint);
    if (existing === undefined) throw notFound('issuer certificate', fingerprint);
    if (existing.retiredAt !== null && Date.parse(existing.retiredAt) <= at.getTime()) {
      throw new ChaincodeRuleError(
        'INVALID_STATE_TRANSITION',
        `Certificate ${fingerprint} is already retired from ${existing.retiredAt}`,
        { uscc, fingerprint, retiredAt: existing.retiredAt },
      );
    }
    const certificates = issuer.certificates.map((c) =>
      c.fingerprint === fingerprint ? { ...c, retiredAt: at.toISOString(), retirementReason: reason } : c,
    );
    const updated: Issuer = { ...issuer, certificates, updated: stampOf(ctx, caller) };
    await writeRecord(ctx, ObjectType.ISSUER, [uscc], updated);
    emit(ctx, 'IssuerCertificateRetired', { uscc, fingerprint, retiredAt: at.toISOString() });
    return serialize(updated);
  }

  @Transaction(false)
  async getRegion(ctx: Context, code: string): Promise<string> {
    return serialize(await requireRegion(ctx, code));
  }

  @Transaction(false)
  async listRegions(ctx: Context): Promise<string> {
    return serialize(await listRecords<Region>(ctx, ObjectType.REGION, []));
  }

  @Transaction(false)
  async getLicenseType(ctx: Context, code: string): Promise<string> {
    const type = await readRecord<LicenseType>(ctx, ObjectType.LICENSE_TYPE, [code]);
    if (type === undefined) throw notFound('license type', code);
    return serialize(type);
  }

  @Transaction(false)
  async listLicenseTypes(ctx: Context): Promise<string> {
    return serialize(await listRecords<LicenseType>(ctx, ObjectType.LICENSE_TYPE, []));
  }

  @Transaction(false)
  async getIssuer(ctx: Context, uscc: string): Promise<string> {
    return serialize(await requireIssuer(ctx, uscc));
  }

  /** Issuers of one region, a page at a time. */
  @Transaction(false)
  async listIssuers(ctx: Context, regionCode: string, pageSize: string, bookmark: string): Promise<string> {
    const page = await pageIndex(
      ctx,
      ObjectType.REGION_ISSUER,
      [regionCode],
      parsePageSize(pageSize),
      bookmark,
      (uscc) => readRecord<Issuer>(ctx, ObjectType.ISSUER, [uscc]),
    );
    return serialize(page);
  }

  private async parseLicenseTypes(ctx: Context, json: string): Promise<string[]> {
    assertSize('licenseTypes', json, MAX_ARGUMENT_BYTES);
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw invalidArgument('licenseTypes must be a JSON array of type codes', { field: 'licenseTypes' });
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || parsed.some((code) => typeof code !== 'string')) {
      throw invalidArgument('licenseTypes must be a non-empty JSON array of type codes', { field: 'licenseTypes' });
    }
    const codes = [...new Set(parsed as string[])].sort();
    for (const code of codes) {
      if ((await readRecord<LicenseType>(ctx, ObjectType.LICENSE_TYPE, [code])) === undefined)
        throw notFound('license type', code);
    }
    return codes;
  }
}
