import type { KeyStore, Sm2Certificate, Sm2PrivateKey } from '@certhub/certs-service';
import type { User } from '../auth/user';
import type { Ledger } from '../ledger';
import type {
  IssuerCertificateRotation,
  IssuerLicenseTypesUpdate,
  IssuerRegistration,
  IssuerRetirement,
} from '../schemas';
import { AccessDeniedError, RecordExistsError, RecordNotFoundError, UnknownReferenceError } from './errors';
import type { LedgerIdentities } from './identities';
import type { IssuerCertificates } from './issuer-certificates';
import { issuerKeyId } from './issuer-signers';
import { evaluateJson, submitJson } from './ledger-json';
import type { IssuerRecord, PageRecord, RegionRecord } from './ledger-records';
import type { RegistryService } from './registry-service';

/** An issuer as the ledger holds it after a change, with the transaction that made the change. */
export interface IssuerChange extends IssuerRecord {
  readonly txId: string;
}

/** After a rotation: the issuer, and which of its certificates is the new one. */
export interface IssuerCertificateAdded extends IssuerChange {
  readonly fingerprint: string;
}

export interface IssuerAdministrationDeps {
  readonly ledger: Ledger;
  readonly identities: LedgerIdentities;
  readonly registry: RegistryService;
  readonly certificates: IssuerCertificates;
  readonly keys: KeyStore;
  /** Injectable so tests can pin the time certificates are checked at and made from. */
  readonly clock?: () => Date;
}

/** How many issuers one listIssuers page asks for; a region has a few dozen issuing departments. */
const ISSUER_PAGE_SIZE = 200;

/**
 * A region admin's work on its issuers (DESIGN.md §5 "register issuers and their SM2 certificates, rotate/retire
 * keys"): registration, certificate rotation and retirement, and authorised license types. Every write goes to the
 * registry chaincode, which re-checks the caller and the certificate chain; the gateway checks first so a refusal names
 * its cause and nothing is written, and it makes and stores new keys when the issuer brings no certificate.
 */
export class IssuerAdministration {
  private readonly clock: () => Date;

  constructor(private readonly deps: IssuerAdministrationDeps) {
    this.clock = deps.clock ?? ((): Date => new Date());
  }

  /**
   * Registers an issuer in the caller's region with its first certificate: the one given, or a new key certified by the
   * region's root. Two transactions (registerIssuer, addIssuerCertificate); everything that can be refused is checked
   * before the first, so a refusal writes nothing.
   */
  async register(caller: User, request: IssuerRegistration): Promise<IssuerChange> {
    const region = await this.adminRegion(caller, request.region, 'register issuers');
    if ((await this.deps.registry.issuer(caller, request.code)) !== undefined) {
      throw new RecordExistsError(`issuer ${request.code} is already registered`, { uscc: request.code });
    }
    await this.assertKnownTypes(caller, request.licenseTypes);
    const now = this.clock();
    const supplied =
      request.certificate === undefined
        ? undefined
        : await this.deps.certificates.check(request.certificate, request.code, region, now);
    const made =
      supplied === undefined
        ? await this.deps.certificates.certifyNewKey({ uscc: request.code, name: request.name }, region, now)
        : undefined;
    await this.submit(caller, 'registerIssuer', [
      request.code,
      request.name,
      region.code,
      JSON.stringify(request.licenseTypes),
    ]);
    const certificate = supplied ?? made?.certificate;
    if (certificate === undefined) throw new TypeError('neither a supplied nor a new certificate');
    return this.addCertificateWithKey(caller, request.code, certificate, made?.key);
  }

  /** Rotation: a further certificate (given, or a new key from the region's root), which signs from now on. */
  async addCertificate(
    caller: User,
    uscc: string,
    request: IssuerCertificateRotation,
  ): Promise<IssuerCertificateAdded> {
    const issuer = await this.requireIssuer(caller, uscc);
    const region = await this.adminRegion(caller, issuer.region, `add certificates of issuer ${uscc}`);
    const now = this.clock();
    if (request.certificate !== undefined) {
      const certificate = await this.deps.certificates.check(request.certificate, uscc, region, now);
      if (issuer.certificates.some((c) => c.fingerprint === certificate.fingerprint())) {
        throw new RecordExistsError(`certificate ${certificate.fingerprint()} is already registered for ${uscc}`, {
          uscc,
          fingerprint: certificate.fingerprint(),
        });
      }
      return this.addCertificateWithKey(caller, uscc, certificate, undefined);
    }
    const made = await this.deps.certificates.certifyNewKey(issuer, region, now);
    return this.addCertificateWithKey(caller, uscc, made.certificate, made.key);
  }

  /** Retires a key from `retiredAt` (default now): licenses it signed before stay valid, later signatures fail. */
  async retireCertificate(
    caller: User,
    uscc: string,
    fingerprint: string,
    request: IssuerRetirement,
  ): Promise<IssuerChange> {
    const issuer = await this.requireIssuer(caller, uscc);
    await this.adminRegion(caller, issuer.region, `retire certificates of issuer ${uscc}`);
    if (!issuer.certificates.some((c) => c.fingerprint === fingerprint)) {
      throw new RecordNotFoundError(`issuer ${uscc} has no certificate ${fingerprint}`, { uscc, fingerprint });
    }
    const retiredAt = request.retiredAt === undefined ? '' : new Date(request.retiredAt).toISOString();
    return this.submit(caller, 'retireIssuerCertificate', [uscc, fingerprint, retiredAt, request.reason]);
  }

  /** Replaces the license types an issuer may sign. */
  async setLicenseTypes(caller: User, uscc: string, request: IssuerLicenseTypesUpdate): Promise<IssuerChange> {
    const issuer = await this.requireIssuer(caller, uscc);
    await this.adminRegion(caller, issuer.region, `change issuer ${uscc}`);
    await this.assertKnownTypes(caller, request.licenseTypes);
    return this.submit(caller, 'setIssuerLicenseTypes', [uscc, JSON.stringify(request.licenseTypes)]);
  }

  async get(caller: User, uscc: string): Promise<IssuerRecord> {
    return this.requireIssuer(caller, uscc);
  }

  /** The issuers of one region, or of every region when none is named; each region's in USCC order. */
  async list(caller: User, region: string | undefined): Promise<{ issuers: IssuerRecord[] }> {
    const codes =
      region === undefined
        ? ((await evaluateJson(this.deps.ledger, this.identity(caller), 'registry', 'listRegions')) as RegionRecord[])
            .map((r) => r.code)
            .sort()
        : [region];
    const issuers: IssuerRecord[] = [];
    for (const code of codes) {
      let bookmark = '';
      do {
        const page = (await evaluateJson(this.deps.ledger, this.identity(caller), 'registry', 'listIssuers', [
          code,
          String(ISSUER_PAGE_SIZE),
          bookmark,
        ])) as PageRecord<IssuerRecord>;
        issuers.push(...page.items);
        bookmark = page.bookmark;
      } while (bookmark !== '');
    }
    return { issuers };
  }

  /**
   * Stores a new key under its certificate's fingerprint before registering the certificate (a registered certificate
   * whose key was lost could never sign), and removes it again if the ledger refuses the certificate.
   */
  private async addCertificateWithKey(
    caller: User,
    uscc: string,
    certificate: Sm2Certificate,
    key: Sm2PrivateKey | undefined,
  ): Promise<IssuerCertificateAdded> {
    const fingerprint = certificate.fingerprint();
    const keyId = issuerKeyId(uscc, fingerprint);
    if (key !== undefined) await this.deps.keys.putKey(keyId, key);
    try {
      const changed = await this.submit(caller, 'addIssuerCertificate', [uscc, certificate.pem]);
      return { ...changed, fingerprint };
    } catch (error) {
      if (key !== undefined) await this.deps.keys.deleteKey(keyId);
      throw error;
    }
  }

  private async submit(caller: User, fn: string, args: string[]): Promise<IssuerChange> {
    const { result, submitted } = await submitJson(this.deps.ledger, this.deps.identities.forUser(caller), {
      contract: 'registry',
      fn,
      args,
    });
    return { ...(result as IssuerRecord), txId: submitted.txId };
  }

  private identity(caller: User) {
    return this.deps.identities.forUser(caller);
  }

  private async requireIssuer(caller: User, uscc: string): Promise<IssuerRecord> {
    const issuer = await this.deps.registry.issuer(caller, uscc);
    if (issuer === undefined) throw new RecordNotFoundError(`no issuer ${uscc} is registered`, { uscc });
    return issuer;
  }

  /** The region the caller administers, if it is `region`: one region's admin never changes another's issuers. */
  private async adminRegion(caller: User, region: string, action: string): Promise<RegionRecord> {
    if (caller.role !== 'region-admin' || caller.region !== region) {
      throw new AccessDeniedError(
        `only a region-admin of region ${region} may ${action}; ${caller.id} is a ${caller.role}` +
          (caller.region === null ? '' : ` of region ${caller.region}`),
        { userId: caller.id, region },
      );
    }
    const record = await this.deps.registry.region(caller, region);
    if (record === undefined) throw new UnknownReferenceError(`region ${region} is not registered`, { region });
    return record;
  }

  private async assertKnownTypes(caller: User, codes: readonly string[]): Promise<void> {
    const known = new Set((await this.deps.registry.licenseTypes(caller)).map((t) => t.code));
    const unknown = codes.filter((code) => !known.has(code));
    if (unknown.length > 0) {
      throw new UnknownReferenceError(`license types not registered: ${unknown.join(', ')}`, { licenseTypes: unknown });
    }
  }
}
