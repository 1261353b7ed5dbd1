import type { User } from '../auth/user';
import { ChaincodeError, type Ledger } from '../ledger';
import type { LedgerIdentities } from './identities';
import { evaluateJson } from './ledger-json';
import type { IssuerRecord, LicenseTypeRecord, RegionRecord } from './ledger-records';

/** What GET /v1/me answers: the user plus the license types its issuer is authorised for on the ledger. */
export interface CallerProfile {
  readonly id: string;
  readonly name: string;
  readonly org: string;
  readonly role: User['role'];
  readonly region: string | null;
  readonly issuer: { readonly code: string; readonly name: string } | null;
  readonly enterprise: string | null;
  readonly authority: { readonly code: string; readonly name: string } | null;
  readonly licenseTypes: readonly string[];
}

/** Reads the registry (regions, license types, issuers) from the ledger, which is its only source of truth. */
export class RegistryService {
  constructor(
    private readonly ledger: Ledger,
    private readonly identities: LedgerIdentities,
  ) {}

  async licenseTypes(caller: User | undefined): Promise<LicenseTypeRecord[]> {
    const types = (await evaluateJson(
      this.ledger,
      this.identities.forCaller(caller),
      'registry',
      'listLicenseTypes',
    )) as LicenseTypeRecord[];
    return types.map(({ code, name, holderIdType }) => ({ code, name, holderIdType }));
  }

  async licenseType(caller: User | undefined, code: string): Promise<LicenseTypeRecord | undefined> {
    return this.find<LicenseTypeRecord>(caller, 'getLicenseType', code);
  }

  async issuer(caller: User | undefined, uscc: string): Promise<IssuerRecord | undefined> {
    return this.find<IssuerRecord>(caller, 'getIssuer', uscc);
  }

  async region(caller: User | undefined, code: string): Promise<RegionRecord | undefined> {
    return this.find<RegionRecord>(caller, 'getRegion', code);
  }

  async profile(caller: User): Promise<CallerProfile> {
    const issuer = caller.issuer === null ? undefined : await this.issuer(caller, caller.issuer.code);
    return {
      id: caller.id,
      name: caller.name,
      org: caller.org,
      role: caller.role,
      region: caller.region,
      issuer: caller.issuer === null ? null : { code: caller.issuer.code, name: caller.issuer.name },
      enterprise: caller.enterprise,
      authority: caller.authority === null ? null : { code: caller.authority.code, name: caller.authority.name },
      licenseTypes: issuer === undefined ? [] : [...issuer.licenseTypes],
    };
  }

  /** A registry record, or undefined when the chaincode says NOT_FOUND; every other failure propagates. */
  private async find<T>(caller: User | undefined, fn: string, key: string): Promise<T | undefined> {
    try {
      return (await evaluateJson(this.ledger, this.identities.forCaller(caller), 'registry', fn, [key])) as T;
    } catch (error) {
      if (error instanceof ChaincodeError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }
}
