import { Type, type Static } from '@sinclair/typebox';
import { DATE_ORDER_KEYWORD } from './keywords';
import { DateString, DateTime, Nullable, Reason, Sm3Hex, Stamp, StringEnum, Text, TxId, Uscc } from './common';

/*
 * Credit records (DESIGN.md §1): facts about an enterprise from a source department, each public for a publicity
 * period and repairable. Consents (./consents) let a bank see the detail of an enterprise's profile.
 */

export const CREDIT_CATEGORIES = [
  'ADMINISTRATIVE_LICENSE',
  'ADMINISTRATIVE_PENALTY',
  'TAX_CREDIT_RATING',
  'ABNORMAL_OPERATION',
  'DISHONEST_DEBTOR',
  'RED_LIST',
  'BLACK_LIST',
] as const;

export const TAX_CREDIT_GRADES = ['A', 'B', 'M', 'C', 'D'] as const;
export const CREDIT_CLASSES = ['A', 'B', 'C', 'D'] as const;
export const CREDIT_RECORD_STATES = ['ACTIVE', 'REPAIRED', 'WITHDRAWN', 'EXPIRED'] as const;

/** Path `{id}` of a credit record (an ID the ledger assigned). */
export const CreditRecordIdParams = Type.Object(
  { id: Type.String({ pattern: '^[A-Za-z0-9._:-]{1,128}$' }) },
  { additionalProperties: false },
);

/** POST /v1/credit-records, by a credit source department. */
export const CreditRecordRequest = Type.Object(
  {
    enterprise: Uscc({ description: 'The enterprise the record is about.' }),
    category: StringEnum(CREDIT_CATEGORIES),
    title: Text(200),
    decisionNumber: Type.Optional(Text(100, { description: 'Number of the decision or document (文书号).' })),
    decidedOn: DateString(),
    publicityFrom: DateString(),
    publicityUntil: Nullable(DateString({ description: 'End of the publicity period; null when not limited.' })),
    grade: Type.Optional(StringEnum(TAX_CREDIT_GRADES, { description: 'Tax credit grade (TAX_CREDIT_RATING only).' })),
    details: Type.Optional(
      Type.Unsafe<Record<string, unknown>>({
        type: 'object',
        maxProperties: 50,
        propertyNames: { minLength: 1, maxLength: 64 },
        description: 'Category-specific public details.',
      }),
    ),
  },
  {
    additionalProperties: false,
    [DATE_ORDER_KEYWORD]: [
      ['decidedOn', 'publicityFrom'],
      ['publicityFrom', 'publicityUntil'],
    ],
    // A tax rating without its grade says nothing; a grade on any other category is a mistake.
    if: { type: 'object', properties: { category: { const: 'TAX_CREDIT_RATING' } }, required: ['category'] },
    then: { type: 'object', required: ['grade'] },
    else: { type: 'object', properties: { grade: false } },
  },
);
export type CreditRecordRequest = Static<typeof CreditRecordRequest>;

export const CreditRecord = Type.Object({
  id: Type.String(),
  enterprise: Uscc(),
  source: Uscc({ description: 'USCC of the source department.' }),
  category: StringEnum(CREDIT_CATEGORIES),
  title: Type.String(),
  decisionNumber: Type.Optional(Type.String()),
  decidedOn: DateString(),
  publicityFrom: DateString(),
  publicityUntil: Nullable(DateString()),
  grade: Type.Optional(StringEnum(TAX_CREDIT_GRADES)),
  state: StringEnum(CREDIT_RECORD_STATES),
  recordHash: Type.Optional(Sm3Hex({ description: 'SM3 of the canonical record, as anchored.' })),
  created: Type.Optional(Stamp()),
});

export const CreditRecordCreated = Type.Object({ id: Type.String(), txId: TxId(), record: CreditRecord });

/** POST /v1/credit-records/{id}/repair: the enterprise corrected the behaviour (信用修复). */
export const CreditRepairRequest = Type.Object(
  { reason: Reason(), repairedOn: DateString() },
  { additionalProperties: false },
);
export type CreditRepairRequest = Static<typeof CreditRepairRequest>;

/** POST /v1/credit-records/{id}/withdraw: the source department withdraws a record made in error. */
export const CreditWithdrawRequest = Type.Object({ reason: Reason() }, { additionalProperties: false });
export type CreditWithdrawRequest = Static<typeof CreditWithdrawRequest>;

export const CreditRecordStateChange = Type.Object({
  id: Type.String(),
  state: StringEnum(CREDIT_RECORD_STATES),
  txId: TxId(),
});

/** GET /v1/enterprises/{uscc}/credit. */
export const CreditProfile = Type.Object({
  uscc: Uscc(),
  class: StringEnum(CREDIT_CLASSES, { description: 'Supervision class A (best) to D.' }),
  detail: Type.Boolean({ description: 'Whether records carry detail (a bank with the enterprise’s consent).' }),
  records: Type.Array(CreditRecord),
  checkedAt: DateTime(),
});
