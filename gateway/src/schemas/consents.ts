import { Type, type Static } from '@sinclair/typebox';
import { DateString, MspId, StringEnum, TxId, Uscc } from './common';

/*
 * Consents (issue 6): an enterprise lets a bank see the detail of its credit profile, for a scope and until a date.
 */

export const CONSENT_SCOPES = ['credit-detail', 'licenses'] as const;

/** POST /v1/enterprises/{uscc}/consents: the enterprise lets a bank read more, until a date. */
export const ConsentRequest = Type.Object(
  {
    bank: MspId({ description: 'MSP ID of the bank given consent.' }),
    scope: Type.Array(StringEnum(CONSENT_SCOPES), { minItems: 1, uniqueItems: true }),
    expiresOn: DateString(),
  },
  { additionalProperties: false },
);
export type ConsentRequest = Static<typeof ConsentRequest>;

export const Consent = Type.Object({
  id: Type.String(),
  enterprise: Uscc(),
  bank: MspId(),
  scope: Type.Array(StringEnum(CONSENT_SCOPES)),
  expiresOn: DateString(),
  txId: TxId(),
});
