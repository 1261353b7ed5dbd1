import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
import {
  CREDIT_CATEGORIES,
  PENALTY_DOMAINS,
  SEVERITIES,
  SUPERVISION_CLASSES,
  TAX_RATINGS,
  type CreditCategory,
} from '@certhub/chaincode/dist/credit-model';
import { DATE_ORDER_KEYWORD } from './keywords';
import { DateString, Nullable, Reason, Sm3Hex, StringEnum, Text, TxId, Uscc } from './common';
import { LicenseState } from './licenses';

/*
 * Credit records (issue 6): facts about an enterprise from a source department, public for a publicity period and
 * repairable. The categories, severities, penalty domains and ratings are the chaincode's own lists, so the edge and
 * the chain cannot disagree on them. Consents (./consents) let a bank see the detail of an enterprise's profile.
 */

export { CREDIT_CATEGORIES, SEVERITIES, PENALTY_DOMAINS, TAX_RATINGS, SUPERVISION_CLASSES };
export const CREDIT_STATUSES = ['ACTIVE', 'REPAIRED', 'WITHDRAWN'] as const;

/** One of `values`, or null. */
function NullableEnum<T extends string>(values: readonly T[]): TUnsafe<T | null> {
  return Type.Unsafe<T | null>({ type: ['string', 'null'], enum: [...values, null] });
}

/** Path `{id}` of a credit record (an ID the ledger assigned: `cr-` and the start of the anchoring tx ID). */
export const CreditRecordIdParams = Type.Object(
  { id: Type.String({ pattern: '^cr-[0-9a-f]{1,64}$', description: 'Credit record ID, e.g. cr-3f2a….' }) },
  { additionalProperties: false },
);

/** A department by name and USCC (a deciding or licensing authority, a data-source department). */
const Department = (description: string) =>
  Type.Object(
    { name: Text(200, { description: `${description}: name.` }), code: Uscc({ description: `${description}: USCC.` }) },
    { additionalProperties: false, description },
  );

/** Amounts in 万元 (10,000 yuan), as the national data items give them. */
const Amount = (description: string) => Type.Number({ minimum: 0, maximum: 1e9, description: `${description} (万元)` });

const LongText = (description: string) => Text(4000, { description });

/** A category's data items: the listed fields are required; further items of the source's own are kept as sent. */
function content(properties: Record<string, TSchema>, options: { dateOrder?: [string, string][] } = {}): TSchema {
  return Type.Object(properties, {
    additionalProperties: true,
    maxProperties: 60,
    ...(options.dateOrder === undefined ? {} : { [DATE_ORDER_KEYWORD]: options.dateOrder }),
  });
}

/**
 * Administrative penalty publicity (行政处罚), the national double-publicity data items. The decision document number,
 * decision date and deciding authority with its USCC are the record's own `documentNumber`, `decisionDate` and
 * `authority`; the publicity end date (公示截止期) follows from the national periods and is filled in when absent.
 */
export const PenaltyContent = content({
  violationType: Text(200, { description: '违法行为类型 (type of violation).' }),
  facts: LongText('违法事实 (facts of the violation).'),
  legalBasis: LongText('处罚依据 (legal basis).'),
  penaltyCategories: Type.Array(Text(50), {
    minItems: 1,
    maxItems: 20,
    uniqueItems: true,
    description: '处罚类别, e.g. 警告, 罚款, 没收违法所得 (several types in one decision → the longest publicity).',
  }),
  penaltyContent: LongText('处罚内容 (content of the penalty).'),
  fineAmount: Amount('罚款金额 (fine)'),
  confiscationAmount: Amount('没收违法所得、没收非法财物的金额 (confiscated income and property)'),
  validUntil: DateString({ description: '处罚有效期 (the penalty is in force until).' }),
  publicityEndDate: Type.Optional(
    DateString({ description: '公示截止期 (publicity end); must be the national maximum, filled in when absent.' }),
  ),
  dataSource: Department('数据来源单位 (data-source department)'),
});

/**
 * Administrative licence publicity (行政许可). The decision document number and the licensing authority with its USCC
 * are the record's own `documentNumber` and `authority`; the licence is public while valid (until `validUntil`).
 */
export const LicenceContent = content(
  {
    documentName: Text(200, { description: '行政许可决定文书名称 (name of the licensing decision).' }),
    licenceCategory: StringEnum(['普通', '特许', '认可', '核准', '登记', '其他'], {
      description: '许可类别 (licence category).',
    }),
    certificateName: Text(200, { description: '许可证书名称 (certificate name).' }),
    certificateNumber: Text(100, { description: '许可编号 (certificate number).' }),
    validFrom: DateString({ description: '有效期自 (valid from).' }),
    validUntil: DateString({ description: '有效期至 (valid until).' }),
  },
  { dateOrder: [['validFrom', 'validUntil']] },
);

export const TaxRatingContent = content({
  ratingYear: Type.Integer({ minimum: 2000, maximum: 2100, description: '评价年度 (the year rated).' }),
});

export const AbnormalOperationContent = content({
  reason: LongText('列入经营异常名录原因 (why listed).'),
  legalBasis: LongText('列入依据 (legal basis).'),
});

export const DishonestDebtorContent = content({
  caseNumber: Text(100, { description: '案号 (case number of the enforcement).' }),
  court: Text(200, { description: '执行法院 (enforcing court).' }),
  obligation: LongText('生效法律文书确定的义务 (obligation the judgment set).'),
});

export const BlacklistContent = content({
  reason: LongText('列入严重失信主体名单的事由 (why listed).'),
  legalBasis: LongText('列入依据 (legal basis).'),
});

export const RedlistContent = content({
  honour: Text(200, { description: '荣誉名称, e.g. 守合同重信用企业 (the commendation).' }),
});

/** Each category's data items, and which of the chain's optional fields it takes. */
const CATEGORY_RULES: Readonly<
  Record<CreditCategory, { content: TSchema; domains: boolean; rating: boolean; validUntil: boolean }>
> = {
  ADMIN_PENALTY: { content: PenaltyContent, domains: true, rating: false, validUntil: false },
  // A licence's publicity ends with the licence: content.validUntil.
  ADMIN_LICENSE: { content: LicenceContent, domains: false, rating: false, validUntil: false },
  TAX_RATING: { content: TaxRatingContent, domains: false, rating: true, validUntil: true },
  ABNORMAL_OPERATION: { content: AbnormalOperationContent, domains: false, rating: false, validUntil: true },
  DISHONEST_DEBTOR: { content: DishonestDebtorContent, domains: false, rating: false, validUntil: true },
  BLACKLIST: { content: BlacklistContent, domains: false, rating: false, validUntil: true },
  REDLIST: { content: RedlistContent, domains: false, rating: false, validUntil: true },
};

function categoryRule(category: CreditCategory): Record<string, unknown> {
  const rule = CATEGORY_RULES[category];
  const forbidden = (allowed: boolean): Record<string, never> | false => (allowed ? {} : false);
  return {
    if: { type: 'object', properties: { category: { const: category } }, required: ['category'] },
    then: {
      type: 'object',
      ...(rule.rating ? { required: ['rating'] } : {}),
      properties: {
        content: rule.content,
        domains: forbidden(rule.domains),
        rating: forbidden(rule.rating),
        validUntil: forbidden(rule.validUntil),
      },
    },
  };
}

/**
 * POST /v1/credit-records, by a credit source department for its own authority. The full record is this body as sent
 * (extra fields are kept), with a penalty's publicity end filled in; its SM3 is what the chain anchors.
 */
export const CreditRecordRequest = Type.Object(
  {
    subject: Uscc({ description: 'The enterprise the record is about (USCC, check character verified).' }),
    subjectName: Type.Optional(Text(200, { description: '行政相对人名称 (the enterprise’s name).' })),
    category: StringEnum(CREDIT_CATEGORIES),
    severity: StringEnum(SEVERITIES, {
      description: 'MINOR, GENERAL or SERIOUS; for penalties it sets the publicity period.',
    }),
    decisionDate: DateString({ description: 'Date of the decision (not after today, China time).' }),
    documentNumber: Text(100, { description: 'Decision document number (决定文书号).' }),
    authority: Department('The deciding (or licensing, listing) authority; must be the caller’s own'),
    content: Type.Object({}, { additionalProperties: true, description: 'The category’s data items.' }),
    domains: Type.Optional(
      Type.Array(StringEnum(PENALTY_DOMAINS), {
        minItems: 1,
        uniqueItems: true,
        description:
          'ADMIN_PENALTY only: the fields of its penalty types; WORK_SAFETY, FIRE and SPECIAL_EQUIPMENT stay public at least a year, and the longest period applies.',
      }),
    ),
    rating: Type.Optional(StringEnum(TAX_RATINGS, { description: 'TAX_RATING only (required there): A, B, M, C, D.' })),
    validUntil: Type.Optional(
      DateString({ description: 'Listings, ratings, red list: the last day of the term (none: until removed).' }),
    ),
  },
  {
    additionalProperties: true,
    maxProperties: 40,
    [DATE_ORDER_KEYWORD]: [['decisionDate', 'validUntil']],
    allOf: CREDIT_CATEGORIES.map(categoryRule),
  },
);
export type CreditRecordRequest = Static<typeof CreditRecordRequest>;

export const CreditRecordCreated = Type.Object({
  recordId: Type.String(),
  recordHash: Sm3Hex({ description: 'SM3 of the full record’s canonical bytes, as anchored.' }),
  txId: TxId(),
  publicUntil: Nullable(DateString({ description: 'Last day public; null: until repaired or withdrawn.' })),
});

/** POST /v1/credit-records/{id}/repair (信用修复) and /withdraw (decision annulled), by the record's source. */
export const CreditRecordChangeRequest = Type.Object({ reason: Reason() }, { additionalProperties: false });
export type CreditRecordChangeRequest = Static<typeof CreditRecordChangeRequest>;

export const CreditRecordStateChange = Type.Object({
  recordId: Type.String(),
  status: StringEnum(CREDIT_STATUSES),
  effective: DateString({ description: 'The day the change takes effect.' }),
  txId: TxId(),
});

/** GET /v1/enterprises/{uscc}/credit query. */
export const CreditProfileQuery = Type.Object(
  {
    onDate: Type.Optional(DateString({ description: 'The day to answer for (audits); default today, China time.' })),
    detail: Type.Optional(
      StringEnum(['true', 'false'], { description: 'Ask for the detail (a bank with the enterprise’s consent).' }),
    ),
    purpose: Type.Optional(Text(500, { description: 'Why the bank looks (required with detail=true; logged).' })),
  },
  {
    additionalProperties: false,
    if: { type: 'object', properties: { detail: { const: 'true' } }, required: ['detail'] },
    then: { type: 'object', required: ['purpose'] },
  },
);
export type CreditProfileQuery = Static<typeof CreditProfileQuery>;

const CREDIT_CHECK_STEPS = ['signature', 'anchor', 'status'] as const;

export const CreditCheck = Type.Object({
  step: StringEnum(CREDIT_CHECK_STEPS),
  ok: Nullable(Type.Boolean()),
  detail: Type.String(),
});

/** A record as a profile lists it: what the chain holds, and how each part of it checked out. */
export const CreditProfileRecord = Type.Object({
  recordId: Type.String(),
  category: StringEnum(CREDIT_CATEGORIES),
  severity: StringEnum(SEVERITIES),
  status: StringEnum(CREDIT_STATUSES),
  decisionDate: DateString(),
  publicUntil: Nullable(DateString()),
  minimumUntil: DateString({ description: 'End of the minimum publicity period; repair is allowed after it.' }),
  domains: Type.Array(StringEnum(PENALTY_DOMAINS)),
  rating: NullableEnum(TAX_RATINGS),
  source: Uscc({ description: 'The source department that signed it.' }),
  region: Type.String(),
  recordHash: Sm3Hex(),
  signerFingerprint: Type.String(),
  anchoredTxId: TxId(),
  checks: Type.Array(CreditCheck, { description: 'signature, anchor, status: like license verification.' }),
});

export const CreditClassReason = Type.Object({
  rule: Type.String(),
  class: NullableEnum(SUPERVISION_CLASSES),
  recordId: Type.String(),
  category: StringEnum(CREDIT_CATEGORIES),
});

const LIST_NAMES = ['ABNORMAL_OPERATION', 'DISHONEST_DEBTOR', 'BLACKLIST', 'REDLIST'] as const;

export const CreditListMembership = Type.Object({
  list: StringEnum(LIST_NAMES),
  recordId: Type.String(),
  since: DateString(),
  until: Nullable(DateString()),
  source: Uscc(),
});

/** What a bank with consent sees besides the public part; the query that produced it is in the audit log. */
export const CreditDetail = Type.Object({
  records: Type.Array(
    Type.Object({
      recordId: Type.String(),
      recordHash: Sm3Hex(),
      record: Nullable(
        Type.Object({}, { additionalProperties: true, description: 'The full record as signed; null: not held here.' }),
      ),
    }),
  ),
  taxRating: Nullable(
    Type.Object({
      rating: StringEnum(TAX_RATINGS),
      recordId: Type.String(),
      decisionDate: DateString(),
      ratingYear: Nullable(Type.Integer()),
    }),
  ),
  consent: Type.Object({ id: Type.String(), expiresOn: DateString() }),
  audit: Type.Object({ seq: Type.Integer({ minimum: 0 }), entryHash: Type.String() }),
});

/** GET /v1/enterprises/{uscc}/credit. */
export const CreditProfile = Type.Object({
  subject: Uscc(),
  onDate: DateString({ description: 'The day the profile is for (China time).' }),
  class: StringEnum(SUPERVISION_CLASSES, { description: 'Supervision class A (best) to D, by the rule set on chain.' }),
  ruleSet: Type.Integer({ minimum: 1, description: 'Version of the class rule set applied.' }),
  reasons: Type.Array(CreditClassReason),
  records: Type.Array(CreditProfileRecord, { description: 'The records public on onDate.' }),
  lists: Type.Array(CreditListMembership, {
    description: 'Abnormal operation, dishonest debtor, black and red lists.',
  }),
  licenses: Type.Array(LicenseState, { description: 'Licenses held and in force on onDate.' }),
  detail: Type.Optional(CreditDetail),
});
