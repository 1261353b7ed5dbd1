import { Type, type Static } from '@sinclair/typebox';
import {
  DateTime,
  LicenseTypeCode,
  Nullable,
  Pem,
  Reason,
  RegionCode,
  Sm3Hex,
  Stamp,
  Text,
  TxId,
  Uscc,
} from './common';

/** Issuers (DESIGN.md §1): departments that sign e-licenses, registered by their region's admin. */

const AuthorisedTypes = () =>
  Type.Array(LicenseTypeCode(), {
    minItems: 1,
    maxItems: 200,
    uniqueItems: true,
    description: 'License types the issuer may sign; each must be registered.',
  });

const IssuerCertificatePem = () =>
  Pem('CERTIFICATE', {
    description:
      'SM2 signing certificate issued by the region’s root, naming the issuer’s USCC as organizationIdentifier. ' +
      'Without one, the gateway makes the issuer an SM2 key (kept SM4-sealed in its key store) and has the region’s ' +
      'root certify it.',
  });

/** POST /v1/issuers. Without a certificate, the gateway makes the issuer a key and has the region's root certify it. */
export const IssuerRegistration = Type.Object(
  {
    code: Uscc({ description: 'The issuing department’s USCC.' }),
    name: Text(200),
    region: RegionCode({ description: 'The admin’s own region.' }),
    licenseTypes: AuthorisedTypes(),
    certificate: Type.Optional(IssuerCertificatePem()),
  },
  { additionalProperties: false },
);
export type IssuerRegistration = Static<typeof IssuerRegistration>;

/** Path parameter `{uscc}` of /v1/issuers/{uscc}…. */
export const IssuerParams = Type.Object({ uscc: Uscc() }, { additionalProperties: false });

/** Path parameters of /v1/issuers/{uscc}/certificates/{fingerprint}/…. */
export const IssuerCertificateParams = Type.Object(
  { uscc: Uscc(), fingerprint: Sm3Hex({ description: 'SM3 fingerprint of the certificate DER.' }) },
  { additionalProperties: false },
);

/** POST /v1/issuers/{uscc}/certificates (key rotation): a certificate to add, or none for a new gateway-made key. */
export const IssuerCertificateRotation = Type.Object(
  { certificate: Type.Optional(IssuerCertificatePem()) },
  { additionalProperties: false },
);
export type IssuerCertificateRotation = Static<typeof IssuerCertificateRotation>;

/** POST /v1/issuers/{uscc}/certificates/{fingerprint}/retire. */
export const IssuerRetirement = Type.Object(
  {
    retiredAt: Type.Optional(
      DateTime({
        description:
          'From when the key may no longer sign (default: now). An earlier time covers a key compromised before it ' +
          'was noticed; a retirement can later be moved earlier, never later.',
      }),
    ),
    reason: Reason(),
  },
  { additionalProperties: false },
);
export type IssuerRetirement = Static<typeof IssuerRetirement>;

/** PUT /v1/issuers/{uscc}/license-types: the complete new list. */
export const IssuerLicenseTypesUpdate = Type.Object(
  { licenseTypes: AuthorisedTypes() },
  { additionalProperties: false },
);
export type IssuerLicenseTypesUpdate = Static<typeof IssuerLicenseTypesUpdate>;

export const IssuerCertificate = Type.Object({
  fingerprint: Sm3Hex({ description: 'SM3 of the certificate DER.' }),
  pem: Type.String(),
  notBefore: DateTime(),
  notAfter: DateTime(),
  registeredAt: DateTime(),
  retiredAt: Nullable(DateTime({ description: 'From this time the key may no longer sign; null while current.' })),
  retirementReason: Type.Optional(Nullable(Type.String({ description: 'Why the region’s admin retired it.' }))),
});

const issuerProperties = {
  uscc: Uscc(),
  name: Type.String(),
  region: RegionCode(),
  licenseTypes: Type.Array(LicenseTypeCode()),
  certificates: Type.Array(IssuerCertificate, { description: 'In registration order, oldest first.' }),
  updated: Type.Optional(Stamp()),
};

export const Issuer = Type.Object(issuerProperties);

/** An issuer after a change, with the transaction that committed it. */
export const IssuerChange = Type.Object({ ...issuerProperties, txId: TxId() });

/** After a rotation: also which certificate was added. */
export const IssuerCertificateAdded = Type.Object({
  ...issuerProperties,
  txId: TxId(),
  fingerprint: Sm3Hex({ description: 'Fingerprint of the certificate just added; it signs new licenses from now on.' }),
});

export const IssuerQuery = Type.Object(
  { region: Type.Optional(RegionCode({ description: 'Only this region’s issuers (default: every region).' })) },
  { additionalProperties: false },
);
export type IssuerQuery = Static<typeof IssuerQuery>;

export const IssuerList = Type.Object({ issuers: Type.Array(Issuer) });
