import assert from 'node:assert/strict';
import request from 'supertest';
import { canonicalBytes, sm2Verify, Sm2Certificate, sm3Hex, usccCheckChar } from '@certhub/certs-service';
import { creditSigningBytes, type CreditChange, type CreditRecord } from '@certhub/chaincode';
import { addDays, addMonths } from '@certhub/chaincode/dist/rules/publicity';
import { DEVELOPMENT_ENTERPRISE } from '@certhub/gateway/dist/auth';
import type { Problem } from '@certhub/gateway/dist/http/problem';
import { ROUTES } from '@certhub/gateway/dist/openapi';
import { validationIssues } from '@certhub/gateway/dist/schemas';
import { GATEWAY_SERVICE_USER } from '@certhub/gateway/dist/seed';
import {
  WUHAN_AMR,
  licenceRequest,
  listingRequest,
  penaltyRequest,
  taxRatingRequest,
} from '../../../support/credit-requests';
import { TableCreditDetailAccess } from '../../../support/table-credit-detail-access';
import { bearer, businessLicenseRequest, openHubApp, type HubApp } from './hub-app';

interface Created {
  recordId: string;
  recordHash: string;
  txId: string;
  publicUntil: string | null;
}

interface Check {
  step: string;
  ok: boolean | null;
  detail: string;
}

interface ProfileRecord {
  recordId: string;
  category: string;
  severity: string;
  status: string;
  decisionDate: string;
  publicUntil: string | null;
  minimumUntil: string;
  checks: Check[];
}

interface Profile {
  subject: string;
  onDate: string;
  class: string;
  ruleSet: number;
  reasons: { rule: string; class: string | null; recordId: string }[];
  records: ProfileRecord[];
  lists: { list: string; recordId: string; since: string; until: string | null }[];
  licenses: { licenseId: string; holderRef: string }[];
  detail?: {
    records: { recordId: string; recordHash: string; record: Record<string, unknown> | null }[];
    taxRating: { rating: string; recordId: string; ratingYear: number | null } | null;
    consent: { id: string; expiresOn: string };
    audit: { seq: number; entryHash: string };
  };
}

const SOURCE = bearer('dev-wuhan-credit');
const BANK = bearer('dev-bank');
const CLERK = bearer('dev-wuhan-clerk');
const problem = (res: request.Response): Problem => res.body as Problem;

/** Midday in China (04:00 UTC), so the UTC and China dates agree unless a test says otherwise. */
const at = (date: string, time = '04:00:00'): Date => new Date(`${date}T${time}Z`);

/**
 * "Today" of these tests: a day after the real one, because the development world's Fabric identities are issued
 * now, valid for a year, and the ledger refuses a caller outside its certificate's validity. Every date is relative.
 */
const D = new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10);
const day = (offset: number): string => addDays(D, offset);
/** A general penalty's decision day, its last public day and the end of its minimum period. */
const DEC = day(-100);
const DEC_END = addMonths(DEC, 12);
const DEC_MIN = addMonths(DEC, 3);

let serial = 0;
/** A fresh enterprise per test, so no test sees another's records. */
function nextSubject(): string {
  serial += 1;
  const first17 = `91420100MA4L${String(serial).padStart(5, '0')}`;
  return first17 + usccCheckChar(first17);
}

function publishedSchema(operationId: string, status: number) {
  const schema = ROUTES.find((r) => r.operationId === operationId)?.responses[status]?.schema;
  assert.ok(schema, `${operationId} publishes a ${status} schema`);
  return schema;
}

describe('credit routes (issue 6)', function () {
  this.timeout(120_000);
  let hub: HubApp;
  let now = at(D);
  const access = new TableCreditDetailAccess();

  before(async () => {
    hub = await openHubApp({ clock: () => now, creditAccess: access });
  });
  after(async () => {
    await hub.dispose();
  });
  beforeEach(() => {
    now = at(D);
  });

  const create = (body: Record<string, unknown>, headers = SOURCE) =>
    request(hub.app).post('/v1/credit-records').set(headers).send(body);
  const created = async (body: Record<string, unknown>): Promise<Created> => {
    const res = await create(body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as Created;
  };
  const profile = async (uscc: string, query = '', headers: Record<string, string> = {}): Promise<Profile> => {
    const res = await request(hub.app).get(`/v1/enterprises/${uscc}/credit${query}`).set(headers);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(validationIssues(publishedSchema('getCreditProfile', 200), res.body), []);
    return res.body as Profile;
  };
  const change = (id: string, action: 'repair' | 'withdraw', headers = SOURCE, body: unknown = { reason: '已整改' }) =>
    request(hub.app)
      .post(`/v1/credit-records/${id}/${action}`)
      .set(headers)
      .send(body as object);
  const service = () => hub.hub.world.identities[GATEWAY_SERVICE_USER]!;
  const chainRecord = async (recordId: string): Promise<CreditRecord> =>
    JSON.parse(
      Buffer.from(
        await hub.hub.ledger.evaluate(service(), { contract: 'credit', fn: 'get', args: [recordId] }),
      ).toString(),
    ) as CreditRecord;
  const height = async (): Promise<number> => (await hub.hub.ledger.history()).length;

  /** Asserts a refusal with `status` and `code` that wrote nothing to the ledger. */
  const refused = async (res: Promise<request.Response>, status: number, code: string): Promise<Problem> => {
    const before = await height();
    const answer = await res;
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.equal(problem(answer).code, code);
    assert.match(answer.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(await height(), before, 'nothing committed');
    return problem(answer);
  };

  describe('POST /v1/credit-records', () => {
    it('tells a credit source (GET /v1/me) which authority it writes for', async () => {
      const res = await request(hub.app).get('/v1/me').set(SOURCE).expect(200);
      assert.deepEqual(validationIssues(publishedSchema('getMe', 200), res.body), []);
      const me = res.body as { role: string; authority: unknown; issuer: unknown };
      assert.deepEqual([me.role, me.authority, me.issuer], ['credit-source', WUHAN_AMR, null]);
      const clerk = (await request(hub.app).get('/v1/me').set(CLERK).expect(200)).body as { authority: unknown };
      assert.equal(clerk.authority, null);
    });

    it('anchors a penalty: full record hashed canonically, signed by the authority, publicity end filled in', async () => {
      const subject = nextSubject();
      const body = penaltyRequest(DEC, { subject, reportedBy: '执法支队' });
      const res = await create(body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(validationIssues(publishedSchema('createCreditRecord', 201), res.body), []);
      const answer = res.body as Created;
      assert.match(answer.recordId, /^cr-[0-9a-f]{32}$/);
      assert.equal(answer.publicUntil, DEC_END, 'a general penalty is public for at most a year');
      // The full record is the request as sent (extra fields kept) with the national publicity end (公示截止期).
      const full = { ...body, content: { ...(body.content as object), publicityEndDate: DEC_END } };
      assert.equal(answer.recordHash, sm3Hex(canonicalBytes(full)));

      const anchored = await chainRecord(answer.recordId);
      assert.equal(anchored.recordHash, answer.recordHash);
      assert.equal(anchored.source, WUHAN_AMR.code);
      assert.equal(anchored.anchored.txId, answer.txId);
      assert.match(anchored.anchored.actor, /\/CN=wuhan-credit::/, 'anchored with the caller’s own Fabric identity');
      assert.equal(anchored.minimumUntil, DEC_MIN);
      const wuhanAmr = hub.hub.world.issuerCertificates[WUHAN_AMR.code]!;
      assert.equal(anchored.signerFingerprint, Sm2Certificate.fromPem(wuhanAmr).fingerprint());
      const header = {
        recordHash: answer.recordHash,
        subject,
        category: 'ADMIN_PENALTY' as const,
        severity: 'GENERAL' as const,
        decisionDate: DEC,
        source: WUHAN_AMR.code,
      };
      const signature = Buffer.from(anchored.signature, 'base64');
      assert.ok(sm2Verify(Sm2Certificate.fromPem(wuhanAmr).publicKey, creditSigningBytes(header), signature));
    });

    it('anchors every category, with the chain’s end for each (licence: its validity; listing: its term)', async () => {
      const subject = nextSubject();
      const licence = await created(licenceRequest(day(-300), { subject }));
      assert.equal(licence.publicUntil, '2031-12-31');
      const rating = await created(taxRatingRequest(day(-200), 'B', { subject, validUntil: day(100) }));
      assert.equal(rating.publicUntil, day(100));
      for (const list of ['ABNORMAL_OPERATION', 'DISHONEST_DEBTOR', 'BLACKLIST', 'REDLIST'] as const) {
        const listed = await created(listingRequest(list, day(-30), { subject }));
        assert.equal(listed.publicUntil, null, `${list} stays until removed`);
      }
      const serious = await created(penaltyRequest(day(-30), { subject, severity: 'SERIOUS' }));
      assert.equal(serious.publicUntil, addMonths(day(-30), 36));
    });

    it('uses the longest period of a decision with several penalty types, and a year for safety fields', async () => {
      const subject = nextSubject();
      const minor = await created(penaltyRequest(day(-40), { subject, severity: 'MINOR' }));
      assert.equal(minor.publicUntil, addMonths(day(-40), 3));
      const combined = await created(
        penaltyRequest(day(-40), { subject, severity: 'MINOR', domains: ['OTHER', 'SPECIAL_EQUIPMENT'] }),
      );
      assert.equal(combined.publicUntil, addMonths(day(-40), 12), 'special equipment: at least a year, the longest');
      const fire = await chainRecord(
        (await created(penaltyRequest(day(-39), { subject, domains: ['FIRE'] }))).recordId,
      );
      assert.deepEqual([fire.minimumUntil, fire.publicUntil], [addMonths(day(-39), 12), addMonths(day(-39), 12)]);
    });

    it('refuses without a token (401), for another role (403) and for another authority (403), writing nothing', async () => {
      await refused(
        request(hub.app).post('/v1/credit-records').send(penaltyRequest('2026-03-02')),
        401,
        'UNAUTHENTICATED',
      );
      await refused(create(penaltyRequest('2026-03-02'), CLERK), 403, 'FORBIDDEN');
      await refused(create(penaltyRequest('2026-03-02'), BANK), 403, 'FORBIDDEN');
      const guangde = { name: '广德市市场监督管理局', code: '113418820031587274' };
      const other = await refused(create(penaltyRequest('2026-03-02', { authority: guangde })), 403, 'FORBIDDEN');
      assert.match(other.detail, /writes credit records for 114201000111350663, not for 113418820031587274/);
    });

    it('answers 400 naming each bad field (USCC check character, missing data items), writing nothing', async () => {
      const badSubject = await refused(
        create(penaltyRequest('2026-03-02', { subject: '91420100MA4K00001A' })),
        400,
        'VALIDATION_FAILED',
      );
      assert.deepEqual(badSubject.issues, [
        { pointer: '/subject', message: 'invalid USCC: CHECK_CHARACTER (expected U)' },
      ]);
      const {
        violationType: _v,
        dataSource: _d,
        ...partial
      } = penaltyRequest('2026-03-02').content as Record<string, unknown>;
      const missing = await refused(
        create(penaltyRequest('2026-03-02', { content: partial })),
        400,
        'VALIDATION_FAILED',
      );
      assert.deepEqual(missing.issues, [
        { pointer: '/content/violationType', message: 'is required' },
        { pointer: '/content/dataSource', message: 'is required' },
      ]);
      const { certificateName: _c, ...licence } = licenceRequest('2026-03-02').content as Record<string, unknown>;
      const licenceMissing = await refused(
        create(licenceRequest('2026-03-02', { content: licence })),
        400,
        'VALIDATION_FAILED',
      );
      assert.deepEqual(licenceMissing.issues, [{ pointer: '/content/certificateName', message: 'is required' }]);
      const { rating: _r, ...unrated } = taxRatingRequest('2026-03-02', 'A');
      const rating = await refused(create(unrated), 400, 'VALIDATION_FAILED');
      assert.deepEqual(rating.issues, [{ pointer: '/rating', message: 'is required' }]);
    });

    it('takes a decision dated today in Beijing at 01:00 there (the previous day in UTC)', async () => {
      now = at(day(-1), '17:00:00');
      const record = await created(penaltyRequest(D, { subject: nextSubject() }));
      assert.equal((await chainRecord(record.recordId)).decisionDate, D);
    });

    it('answers 400 for a decision after today (China time) and a publicity end the law does not give', async () => {
      const future = await refused(create(penaltyRequest(day(1))), 400, 'VALIDATION_FAILED');
      assert.deepEqual(future.issues, [
        { pointer: '/decisionDate', message: `must not be after today (${D}, China time)` },
      ]);
      const end = await refused(
        create(penaltyRequest(DEC, {}, { publicityEndDate: addDays(DEC_END, -1) })),
        400,
        'VALIDATION_FAILED',
      );
      assert.deepEqual(end.issues, [
        {
          pointer: '/content/publicityEndDate',
          message: `must be ${DEC_END}: a GENERAL penalty decided on ${DEC} is public until then`,
        },
      ]);
      const stated = await created(penaltyRequest(DEC, { subject: nextSubject() }, { publicityEndDate: DEC_END }));
      assert.equal(stated.publicUntil, DEC_END);
      const validity = await refused(
        create(penaltyRequest(DEC, {}, { validUntil: addDays(DEC, -1) })),
        400,
        'VALIDATION_FAILED',
      );
      assert.deepEqual(validity.issues, [
        { pointer: '/content/validUntil', message: `must not be before decisionDate (${DEC})` },
      ]);
    });

    it('refuses the same record twice (409 naming the first anchor); an Idempotency-Key repeat answers the first', async () => {
      const body = penaltyRequest(day(-50), { subject: nextSubject() });
      const first = await created(body);
      const twice = await refused(create(body), 409, 'ALREADY_EXISTS');
      assert.match(twice.detail, new RegExp(first.recordHash));

      const keyed = penaltyRequest(day(-51), { subject: nextSubject() });
      const key = { ...SOURCE, 'Idempotency-Key': 'credit-key-0001' };
      const one = await create(keyed, key);
      assert.equal(one.status, 201);
      const before = await height();
      const again = await create(keyed, key);
      assert.equal(again.status, 201);
      assert.deepEqual(again.body, one.body);
      assert.equal(await height(), before, 'the repeat anchored nothing');
      await refused(create({ ...keyed, documentNumber: 'other' }, key), 422, 'IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('POST /v1/credit-records/{id}/repair and /withdraw', () => {
    it('refuses a repair before the minimum period (409 with the first allowed day) and records it after', async () => {
      const decided = day(-10);
      const minimum = addMonths(decided, 3);
      const record = await created(penaltyRequest(decided, { subject: nextSubject() }));
      now = at(minimum);
      const early = await refused(change(record.recordId, 'repair'), 409, 'REPAIR_TOO_EARLY');
      assert.equal(early.repairAllowedFrom, addDays(minimum, 1));
      assert.equal(
        early.detail,
        `credit record ${record.recordId} is in its minimum publicity period until ${minimum}: repair is allowed from ${addDays(minimum, 1)}`,
      );
      now = at(addDays(minimum, 1));
      const res = await change(record.recordId, 'repair');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(validationIssues(publishedSchema('repairCreditRecord', 200), res.body), []);
      assert.deepEqual(
        { ...(res.body as Record<string, unknown>), txId: undefined },
        { recordId: record.recordId, status: 'REPAIRED', effective: addDays(minimum, 1), txId: undefined },
      );
      await refused(change(record.recordId, 'repair'), 409, 'INVALID_STATE_TRANSITION');
    });

    it('withdraws: the record leaves the profile, its history stays, and it cannot change again', async () => {
      const subject = nextSubject();
      const record = await created(penaltyRequest(day(-20), { subject }));
      assert.equal((await profile(subject)).records.length, 1);
      now = at(day(5));
      const res = await change(record.recordId, 'withdraw', SOURCE, { reason: '行政复议撤销原处罚决定' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal((res.body as { status: string }).status, 'WITHDRAWN');
      const after = await profile(subject);
      assert.deepEqual(after.records, []);
      assert.equal(after.class, 'A');
      // Before the withdrawal it was public, and an audit for that day still sees it.
      assert.equal((await profile(subject, `?onDate=${day(4)}`)).records.length, 1);
      const history = JSON.parse(
        Buffer.from(
          await hub.hub.ledger.evaluate(service(), { contract: 'credit', fn: 'history', args: [record.recordId] }),
        ).toString(),
      ) as { entries: CreditChange[] };
      assert.deepEqual(
        history.entries.map((e) => [e.action, e.status, e.reason]),
        [
          ['anchor', 'ACTIVE', null],
          ['withdraw', 'WITHDRAWN', '行政复议撤销原处罚决定'],
        ],
      );
      await refused(change(record.recordId, 'withdraw'), 409, 'INVALID_STATE_TRANSITION');
      await refused(change(record.recordId, 'repair'), 409, 'INVALID_STATE_TRANSITION');
    });

    it('answers 401, 403 (other roles), 404 (unknown record) and 400 (bad ID, no reason)', async () => {
      const record = await created(penaltyRequest(day(-60), { subject: nextSubject() }));
      await refused(
        request(hub.app).post(`/v1/credit-records/${record.recordId}/withdraw`).send({ reason: 'x' }),
        401,
        'UNAUTHENTICATED',
      );
      await refused(change(record.recordId, 'withdraw', CLERK), 403, 'FORBIDDEN');
      await refused(change(record.recordId, 'repair', BANK), 403, 'FORBIDDEN');
      await refused(change('cr-00000000000000000000000000000000', 'withdraw'), 404, 'NOT_FOUND');
      await refused(change('not-a-record', 'withdraw'), 400, 'VALIDATION_FAILED');
      const noReason = await refused(change(record.recordId, 'withdraw', SOURCE, {}), 400, 'VALIDATION_FAILED');
      assert.deepEqual(noReason.issues, [{ pointer: '/reason', message: 'is required' }]);
    });
  });

  describe('GET /v1/enterprises/{uscc}/credit', () => {
    it('answers anyone with the public records, each checked (signature, anchor, status), lists and licenses', async () => {
      const subject = nextSubject();
      const penalty = await created(penaltyRequest(DEC, { subject }));
      const red = await created(listingRequest('REDLIST', day(-70), { subject }));
      const issued = await request(hub.app)
        .post('/v1/licenses')
        .set(CLERK)
        .send(businessLicenseRequest({ holder: { name: '武汉示例贸易有限公司', idType: '001', id: subject } }));
      assert.equal(issued.status, 201, JSON.stringify(issued.body));

      const answer = await profile(subject);
      assert.equal(answer.subject, subject);
      assert.equal(answer.onDate, D);
      assert.equal(answer.class, 'B');
      assert.equal(answer.ruleSet, 1);
      // Reasons follow the records in index order (by record ID); the rules they name do not depend on it.
      assert.deepEqual(answer.reasons.map((r) => [r.rule, r.class, r.recordId]).sort(), [
        ['GENERAL_PENALTY', 'B', penalty.recordId],
        ['REDLIST', null, red.recordId],
      ]);
      assert.deepEqual(
        answer.licenses.map((l) => [l.licenseId, l.holderRef]),
        [[(issued.body as { licenseId: string }).licenseId, subject]],
      );
      assert.equal(answer.detail, undefined);
      // Signed-in callers other than banks see the same public part.
      assert.deepEqual((await profile(subject, '', CLERK)).records.length, 2);
    });

    it('classifies by the chain’s rule set: blacklist D, abnormal operation C, tax rating D → C', async () => {
      const black = nextSubject();
      await created(listingRequest('BLACKLIST', day(-10), { subject: black }));
      await created(penaltyRequest(day(-9), { subject: black }));
      const blackProfile = await profile(black);
      assert.equal(blackProfile.class, 'D');
      assert.deepEqual(blackProfile.reasons.map((r) => r.rule).sort(), ['BLACKLIST', 'GENERAL_PENALTY']);
      assert.deepEqual(
        blackProfile.lists.map((l) => l.list),
        ['BLACKLIST'],
      );
      const taxed = nextSubject();
      await created(taxRatingRequest(day(-9), 'D', { subject: taxed }));
      assert.equal((await profile(taxed)).class, 'C');
      const abnormal = nextSubject();
      await created(listingRequest('ABNORMAL_OPERATION', day(-9), { subject: abnormal }));
      assert.equal((await profile(abnormal)).class, 'C');
      assert.equal((await profile(nextSubject())).class, 'A', 'no records: A');
    });

    it('respects the publicity window at its boundaries, by ?onDate= and by the clock (China date)', async () => {
      const subject = nextSubject();
      const decided = addMonths(D, -11);
      const last = addMonths(decided, 12);
      const general = await created(penaltyRequest(decided, { subject }));
      assert.equal(general.publicUntil, last);
      const ids = (p: Profile) => p.records.map((r) => r.recordId);
      assert.deepEqual(ids(await profile(subject, `?onDate=${addDays(decided, -1)}`)), [], 'not before the decision');
      assert.deepEqual(ids(await profile(subject, `?onDate=${decided}`)), [general.recordId]);
      assert.deepEqual(ids(await profile(subject, `?onDate=${last}`)), [general.recordId], 'the last public day');
      assert.deepEqual(
        ids(await profile(subject, `?onDate=${addDays(last, 1)}`)),
        [],
        'publication ended at the maximum',
      );
      now = at(last, '15:59:59');
      assert.deepEqual(ids(await profile(subject)), [general.recordId], '23:59:59 China time on the last day');
      now = at(last, '16:00:00');
      const next = await profile(subject);
      assert.equal(next.onDate, addDays(last, 1), 'midnight in China');
      assert.deepEqual(ids(next), []);
      assert.equal(next.class, 'A');
    });

    it('ends publication at a repair, not before it', async () => {
      const subject = nextSubject();
      const record = await created(penaltyRequest(addMonths(D, -4), { subject }));
      now = at(day(10));
      assert.equal((await change(record.recordId, 'repair')).status, 200);
      assert.deepEqual((await profile(subject)).records, []);
      assert.equal((await profile(subject, `?onDate=${day(9)}`)).records.length, 1);
    });

    it('shows a repair and a withdrawal at once in a profile asked before (nothing remembered answers for them)', async () => {
      const subject = nextSubject();
      const repaired = await created(penaltyRequest(addMonths(D, -4), { subject }));
      const withdrawn = await created(penaltyRequest(day(-20), { subject, documentNumber: '武市监处罚〔2026〕77号' }));
      const kept = await created(penaltyRequest(day(-10), { subject, documentNumber: '武市监处罚〔2026〕78号' }));
      const onDate = `?onDate=${day(12)}`;
      const ids = (p: Profile) => p.records.map((r) => r.recordId);
      now = at(day(10));
      const first = await profile(subject, onDate);
      assert.deepEqual(ids(first).sort(), [repaired.recordId, withdrawn.recordId, kept.recordId].sort());
      assert.deepEqual(await profile(subject, onDate), first, 'asked again: the same answer');
      assert.equal((await change(repaired.recordId, 'repair')).status, 200);
      assert.deepEqual(ids(await profile(subject, onDate)).sort(), [withdrawn.recordId, kept.recordId].sort());
      assert.equal((await change(withdrawn.recordId, 'withdraw')).status, 200);
      const after = await profile(subject, onDate);
      assert.deepEqual(ids(after), [kept.recordId]);
      assert.deepEqual(
        after.records[0],
        first.records.find((r) => r.recordId === kept.recordId),
      );
    });

    it('keeps an unchanged record’s answer across a change to the enterprise, and answers a changed record afresh', async () => {
      const subject = nextSubject();
      const repaired = await created(penaltyRequest(addMonths(D, -4), { subject }));
      const kept = await created(penaltyRequest(day(-10), { subject, documentNumber: '武市监处罚〔2026〕81号' }));
      const profiles = hub.hub.api.creditProfiles;
      const onDate = day(9);
      const byId = <R extends { recordId: string }>(p: { records: readonly R[] }, id: string): R | undefined =>
        p.records.find((r) => r.recordId === id);
      const first = await profiles.profile(undefined, subject, { onDate });
      // A record about the same enterprise: the chain answers other bytes, the two records listed alike stay the same.
      const added = await created(penaltyRequest(day(-5), { subject, documentNumber: '武市监处罚〔2026〕82号' }));
      const second = await profiles.profile(undefined, subject, { onDate });
      assert.equal(second.records.length, 3);
      assert.equal(byId(second, kept.recordId), byId(first, kept.recordId), 'listed and checked alike: reused');
      assert.equal(byId(second, repaired.recordId), byId(first, repaired.recordId));
      assert.ok(Object.isFrozen(byId(second, added.recordId)), 'what is remembered cannot change');
      // A repair changes the record's listing (status, repairedOn): a new answer, its status check run on it.
      now = at(day(10));
      assert.equal((await change(repaired.recordId, 'repair')).status, 200);
      const third = await profiles.profile(undefined, subject, { onDate });
      const after = byId(third, repaired.recordId);
      assert.ok(after !== undefined);
      assert.notEqual(after, byId(first, repaired.recordId));
      assert.equal(after.status, 'REPAIRED');
      assert.equal(after.checks.find((c) => c.step === 'status')?.ok, false);
      assert.equal(byId(third, kept.recordId), byId(first, kept.recordId));
      const http = await profile(subject, `?onDate=${onDate}`);
      assert.deepEqual(http.records.find((r) => r.recordId === repaired.recordId)?.status, 'REPAIRED');
    });

    it('answers 400 for a bad USCC or date and for detail without a purpose', async () => {
      const res = await request(hub.app).get('/v1/enterprises/91420100303217469A/credit').expect(400);
      assert.deepEqual(problem(res).issues, [
        { pointer: '/uscc', message: 'invalid USCC: CHECK_CHARACTER (expected Q)' },
      ]);
      await request(hub.app).get(`/v1/enterprises/${DEVELOPMENT_ENTERPRISE.code}/credit?onDate=2026-02-30`).expect(400);
      const purpose = await request(hub.app)
        .get(`/v1/enterprises/${DEVELOPMENT_ENTERPRISE.code}/credit?detail=true`)
        .set(BANK)
        .expect(400);
      assert.deepEqual(problem(purpose).issues, [{ pointer: '/purpose', message: 'is required' }]);
      assert.equal(access.asked.length, 0, 'no detail was asked for');
    });

    it('gives detail only to a bank with consent: 401 anonymous, 403 other roles, 403 CONSENT_REQUIRED with the reason', async () => {
      const subject = nextSubject();
      await created(penaltyRequest(DEC, { subject }));
      const url = `/v1/enterprises/${subject}/credit?detail=true&purpose=${encodeURIComponent('授信审查')}`;
      assert.equal(problem(await request(hub.app).get(url).expect(401)).code, 'UNAUTHENTICATED');
      const clerk = await request(hub.app).get(url).set(CLERK).expect(403);
      assert.match(problem(clerk).detail, /only a bank may read credit detail, not a clerk/);
      const asked = access.asked.length;
      const refusedBank = await request(hub.app).get(url).set(BANK).expect(403);
      assert.equal(problem(refusedBank).code, 'CONSENT_REQUIRED');
      assert.equal(problem(refusedBank).detail, `${subject} has given BankMSP no consent`);
      access.set('bank', subject, { refuse: 'the consent expired on 2026-06-01' });
      const expired = await request(hub.app).get(url).set(BANK).expect(403);
      assert.equal(problem(expired).detail, 'the consent expired on 2026-06-01');
      assert.equal(access.asked.length, asked + 2, 'only banks reach the consent check');
    });

    it('adds the detail for a bank with consent: full records, tax rating, consent and audit entry', async () => {
      const subject = nextSubject();
      const body = penaltyRequest(DEC, { subject, caseFile: 'AMR-2026-0042' });
      const penalty = await created(body);
      const rating = await created(taxRatingRequest(day(-30), 'B', { subject }));
      access.set('bank', subject, { consentId: 'consent-001', expiresOn: day(90) });
      const logged = access.logged.length;
      const answer = await profile(subject, `?detail=true&purpose=${encodeURIComponent('流动资金贷款授信审查')}`, BANK);
      const detail = answer.detail!;
      assert.deepEqual(access.logged.slice(logged), [
        {
          userId: 'bank',
          enterprise: subject,
          purpose: '流动资金贷款授信审查',
          what: `credit detail (full records, tax rating) as of ${D}`,
        },
      ]);
      assert.deepEqual(detail.consent, { id: 'consent-001', expiresOn: day(90) });
      assert.equal(detail.audit.seq, logged + 1);
      assert.match(detail.audit.entryHash, /^[0-9a-f]{64}$/);
      const full = detail.records.find((r) => r.recordId === penalty.recordId)!;
      assert.deepEqual(full.record, {
        ...body,
        content: { ...(body.content as object), publicityEndDate: DEC_END },
      });
      assert.equal(sm3Hex(canonicalBytes(full.record)), penalty.recordHash);
      assert.deepEqual(detail.taxRating, {
        rating: 'B',
        recordId: rating.recordId,
        decisionDate: day(-30),
        ratingYear: 2025,
      });
      for (const record of answer.records) {
        const anchor = record.checks.find((c) => c.step === 'anchor')!;
        assert.equal(anchor.ok, true);
        assert.match(anchor.detail, /SM3 of the full record equals it/);
      }
      // Without detail=true the same bank gets the public part, and nothing is logged.
      const plain = await profile(subject, '', BANK);
      assert.equal(plain.detail, undefined);
      assert.equal(access.logged.length, logged + 1);
    });

    it('shows the seeded demo enterprise: a general penalty (B), the red list and a removed abnormal listing', async () => {
      const demo = await profile(DEVELOPMENT_ENTERPRISE.code);
      assert.equal(demo.class, 'B');
      assert.deepEqual(demo.records.map((r) => r.category).sort(), [
        'ADMIN_LICENSE',
        'ADMIN_PENALTY',
        'ADMIN_PENALTY',
        'REDLIST',
      ]);
      assert.deepEqual(
        demo.lists.map((l) => l.list),
        ['REDLIST'],
      );
      assert.ok(demo.records.every((r) => r.checks.every((c) => c.ok === true)));
    });
  });
});
