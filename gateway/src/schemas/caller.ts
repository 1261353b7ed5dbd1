import { Type } from '@sinclair/typebox';
import { LicenseTypeCode, MspId, Nullable, RegionCode, StringEnum, Text, Uscc } from './common';
import { HOLDER_ID_TYPES } from './license-document';
import { ROLES } from '../auth/user';

/** GET /v1/me: who the caller is, and GET /v1/license-types: what can be issued. */

export const Me = Type.Object({
  id: Type.String({ description: 'Enrollment ID: the actor the ledger records.' }),
  name: Type.String(),
  org: MspId(),
  role: StringEnum(ROLES),
  region: Nullable(RegionCode()),
  issuer: Nullable(Type.Object({ code: Uscc(), name: Text(200) })),
  enterprise: Nullable(Uscc({ description: 'The enterprise an enterprise user acts for.' })),
  authority: Nullable(
    Type.Object({ code: Uscc(), name: Text(200) }, { description: 'The department a credit source writes for.' }),
  ),
  licenseTypes: Type.Array(LicenseTypeCode(), { description: 'Types the caller’s issuer is authorised for.' }),
});

export const LicenseTypeInfo = Type.Object({
  code: LicenseTypeCode(),
  name: Type.String(),
  holderIdType: StringEnum(HOLDER_ID_TYPES),
});

export const LicenseTypeList = Type.Array(LicenseTypeInfo);
