import { Type, type Static } from '@sinclair/typebox';
import { DateTime, LicenseTypeCode, Nullable, Pem, RegionCode, Sm3Hex, Stamp, Text, Uscc } from './common';

/** Issuers (DESIGN.md §1): departments that sign e-licenses, registered by their region's admin. */

/** POST /v1/issuers. Without a certificate, the gateway makes the issuer a key and has the region's root certify it. */
export const IssuerRegistration = Type.Object(
  {
    code: Uscc({ description: 'The issuing department’s USCC.' }),
    name: Text(200),
    region: RegionCode(),
    licenseTypes: Type.Array(LicenseTypeCode(), { minItems: 1, maxItems: 200, uniqueItems: true }),
    certificate: Type.Optional(Pem('CERTIFICATE', { description: 'SM2 certificate issued by the region’s root.' })),
  },
  { additionalProperties: false },
);
export type IssuerRegistration = Static<typeof IssuerRegistration>;

export const IssuerCertificate = Type.Object({
  fingerprint: Sm3Hex({ description: 'SM3 of the certificate DER.' }),
  pem: Type.String(),
  notBefore: DateTime(),
  notAfter: DateTime(),
  registeredAt: DateTime(),
  retiredAt: Nullable(DateTime({ description: 'From this time the key may no longer sign; null while current.' })),
});

export const Issuer = Type.Object({
  uscc: Uscc(),
  name: Type.String(),
  region: RegionCode(),
  licenseTypes: Type.Array(LicenseTypeCode()),
  certificates: Type.Array(IssuerCertificate),
  updated: Type.Optional(Stamp()),
});

export const IssuerQuery = Type.Object({ region: Type.Optional(RegionCode()) }, { additionalProperties: false });

export const IssuerList = Type.Object({ issuers: Type.Array(Issuer) });
