import type { LicenseDocument, UnsignedLicenseDocument } from '@certhub/certs-service';
import type { User } from '../auth/user';
import type { LicenseIssueRequest } from '../schemas';
import { AccessDeniedError, IssuanceRefusedError } from './errors';
import type { IssuerRecord, LicenseTypeRecord } from './ledger-records';
import type { RegistryService } from './registry-service';

/*
 * What single issuance (LicenseService) and bulk import (jobs/) share: which issuer a clerk issues for, whether that
 * issuer may issue a type to a holder, and the first-version document built from an issue request. Both paths go
 * through these, so a batch-imported license is the same document a single issuance would have produced.
 */

/**
 * The registered issuer a clerk acts for.
 * @throws AccessDeniedError for a caller without an issuer; IssuanceRefusedError when the issuer is not on the ledger
 */
export async function issuerOfClerk(registry: RegistryService, caller: User): Promise<IssuerRecord> {
  if (caller.issuer === null) throw new AccessDeniedError('only a clerk of an issuer may issue', { userId: caller.id });
  const issuer = await registry.issuer(caller, caller.issuer.code);
  if (issuer === undefined) {
    throw new IssuanceRefusedError(`issuer ${caller.issuer.code} is not registered`, { issuer: caller.issuer.code });
  }
  return issuer;
}

/**
 * The license type of a request, if the issuer may issue it to this kind of holder. `type` is the registry's record
 * of `request.typeCode` (undefined when the ledger has none).
 * @throws IssuanceRefusedError for an unknown type, a type the issuer is not authorised for, or the wrong holder ID type
 */
export function checkLicenseType(
  issuer: IssuerRecord,
  type: LicenseTypeRecord | undefined,
  request: Pick<LicenseIssueRequest, 'typeCode' | 'holder'>,
): LicenseTypeRecord {
  if (type === undefined) {
    throw new IssuanceRefusedError(`license type ${request.typeCode} is not registered`, {
      issuer: issuer.uscc,
      typeCode: request.typeCode,
    });
  }
  if (!issuer.licenseTypes.includes(type.code)) {
    throw new IssuanceRefusedError(`issuer ${issuer.uscc} is not authorised for license type ${type.code}`, {
      issuer: issuer.uscc,
      typeCode: type.code,
    });
  }
  if (request.holder.idType !== type.holderIdType) {
    throw new IssuanceRefusedError(
      `license type ${type.code} takes holders of ID type ${type.holderIdType}, not ${request.holder.idType}`,
      { typeCode: type.code, holderIdType: request.holder.idType },
    );
  }
  return type;
}

/** The unsigned version-1 document (DESIGN.md §3) of an issue request, under an ID and issue date already chosen. */
export function firstVersionDocument(input: {
  readonly licenseId: string;
  readonly issuer: IssuerRecord;
  readonly type: LicenseTypeRecord;
  readonly request: LicenseIssueRequest;
  readonly issuedOn: string;
}): UnsignedLicenseDocument {
  const { licenseId, issuer, type, request, issuedOn } = input;
  return {
    licenseId,
    version: 1,
    previous: null,
    type: { code: type.code, name: type.name },
    number: request.number,
    name: request.name,
    holder: request.holder,
    issuer: { code: issuer.uscc, name: issuer.name, region: issuer.region },
    issuedOn,
    validFrom: request.validFrom,
    validUntil: request.validUntil,
    fields: request.fields as LicenseDocument['fields'],
  };
}
