import assert from 'node:assert/strict';
import { Sm2PrivateKey } from '@certhub/certs-service';
import {
  ChaincodeError,
  type Ledger,
  type LedgerIdentity,
  type TransactionRequest,
} from '@certhub/gateway/dist/ledger';
import type {
  ClassReason,
  ClassRuleSet,
  CreditChange,
  CreditRecord,
  CreditRecordSummary,
  Page,
} from '@certhub/chaincode';
import { addDays, addMonths } from '@certhub/chaincode/dist/rules/publicity';
import { createHubFixture, makeUscc, seedRegistry, signCreditRecord, type HubFixture } from '../support/hub-fixture';
import { assertRejectedWithoutCommit, evaluateJson, submitJson } from '../support/ledger-calls';
import type { LedgerFactory, LedgerUnderTest } from './ledger-conformance';

interface Profile {
  subject: string;
  onDate: string;
  class: string;
  ruleSet: number;
  reasons: ClassReason[];
  records: CreditRecordSummary[];
}

/**
 * The credit contract (issue 6) through the Ledger interface only: anchoring, repair, withdrawal, history, profiles
 * and class rules, who may write, and typed rejections that leave the ledger unchanged. Transaction time is the
 * ledger's own, so decision dates are set relative to today.
 */
export function creditConformance(backend: string, factory: LedgerFactory): void {
  describe(`credit contract conformance on the ${backend} ledger`, function () {
    this.timeout(60_000);
    let hub: HubFixture;
    let under: LedgerUnderTest;
    let ledger: Ledger;
    // The ledger's transactions carry the current time; the date is taken once so a test never spans two dates.
    // The contract dates by the China calendar day (UTC+8) of the transaction.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

    const submit = <T>(identity: LedgerIdentity, request: TransactionRequest): Promise<T> =>
      submitJson<T>(ledger, identity, request);
    const evaluate = <T>(identity: LedgerIdentity, request: TransactionRequest): Promise<T> =>
      evaluateJson<T>(ledger, identity, request);
    const credit = (fn: string, ...args: string[]): TransactionRequest => ({ contract: 'credit', fn, args });
    const profile = (subject: string, onDate = ''): Promise<Profile> =>
      evaluate<Profile>(hub.bank, credit('profile', subject, onDate));

    const rejects = (identity: LedgerIdentity, request: TransactionRequest, code: string): Promise<ChaincodeError> =>
      assertRejectedWithoutCommit(ledger, identity, request, code);

    type Facts = Parameters<typeof signCreditRecord>[1];
    const anchorRequest = (facts: Partial<Facts>, source = hub.wuhan): TransactionRequest => {
      const signed = signCreditRecord(source.issuer, {
        subject: hub.enterprise,
        category: 'ADMIN_PENALTY',
        severity: 'GENERAL',
        decisionDate: today,
        ...facts,
      });
      return credit('anchorRecord', JSON.stringify(signed.request));
    };
    const anchor = (facts: Partial<Facts>): Promise<CreditRecord> =>
      submit<CreditRecord>(hub.wuhan.creditSource, anchorRequest(facts));

    before(async () => {
      hub = await createHubFixture();
    });
    beforeEach(async () => {
      under = await factory(hub.organizations);
      ledger = under.ledger;
      await seedRegistry(ledger, hub);
    });
    afterEach(async () => {
      await under.dispose();
    });

    describe('records', () => {
      it('anchors a penalty: hash, signature, publicity window by the national rules, indexed by subject', async () => {
        const decisionDate = addMonths(today, -2);
        const signed = signCreditRecord(hub.wuhan.issuer, {
          subject: hub.enterprise,
          category: 'ADMIN_PENALTY',
          severity: 'SERIOUS',
          decisionDate,
          extra: { domains: ['FIRE', 'OTHER'] },
        });
        const record = await submit<CreditRecord>(
          hub.wuhan.creditSource,
          credit('anchorRecord', JSON.stringify(signed.request)),
        );
        assert.match(record.recordId, /^cr-[0-9a-f]{32}$/);
        assert.equal(record.recordHash, signed.recordHash);
        assert.equal(record.subject, hub.enterprise);
        assert.equal(record.source, hub.wuhan.issuer.uscc);
        assert.equal(record.region, '420100');
        assert.deepEqual(record.domains, ['FIRE', 'OTHER']);
        assert.equal(record.status, 'ACTIVE');
        assert.equal(record.minimumUntil, addMonths(decisionDate, 12));
        assert.equal(record.publicUntil, addMonths(decisionDate, 36));
        assert.equal(record.signerFingerprint, hub.wuhan.issuer.certificate.fingerprint());
        assert.deepEqual(await evaluate(hub.bank, credit('get', record.recordId)), record);
        assert.deepEqual(await evaluate(hub.bank, credit('getByHash', signed.recordHash)), record);
        const txs = await ledger.history();
        assert.equal(txs[txs.length - 1]?.eventName, 'CreditRecordAnchored');
      });

      it('repairs only after the minimum period, then the record leaves the profile from that day', async () => {
        // A general penalty decided 3 months ago is on the last day of its minimum period today; one a day older is past it.
        const early = await anchor({ decisionDate: addMonths(today, -3) });
        const due = await anchor({ decisionDate: addDays(addMonths(today, -3), -1), documentNumber: 'No. 2' });
        assert.equal(early.minimumUntil, today);
        assert.ok(due.minimumUntil < today);
        const refused = await rejects(
          hub.wuhan.creditSource,
          credit('repair', early.recordId, 'corrected'),
          'INVALID_STATE_TRANSITION',
        );
        assert.equal(refused.context['minimumUntil'], early.minimumUntil);
        const repaired = await submit<CreditRecord>(
          hub.wuhan.creditSource,
          credit('repair', due.recordId, 'corrected'),
        );
        assert.equal(repaired.status, 'REPAIRED');
        assert.equal(repaired.repairedOn, today);
        await rejects(hub.wuhan.creditSource, credit('repair', due.recordId, 'again'), 'INVALID_STATE_TRANSITION');
        const now = await profile(hub.enterprise);
        assert.deepEqual(
          now.records.map((r) => r.recordId),
          [early.recordId],
        );
        const yesterday = await profile(hub.enterprise, addDays(today, -1));
        assert.deepEqual(yesterday.records.map((r) => r.recordId).sort(), [early.recordId, due.recordId].sort());
        const txs = await ledger.history();
        assert.equal(txs[txs.length - 1]?.eventName, 'CreditRecordRepaired');
      });

      it('withdraws an annulled decision: gone from the profile, history kept, no later change', async () => {
        const record = await anchor({ severity: 'SERIOUS' });
        assert.equal((await profile(hub.enterprise)).class, 'C');
        const withdrawn = await submit<CreditRecord>(
          hub.wuhan.creditSource,
          credit('withdraw', record.recordId, 'annulled on review'),
        );
        assert.equal(withdrawn.status, 'WITHDRAWN');
        assert.equal(withdrawn.withdrawnOn, today);
        const after = await profile(hub.enterprise);
        assert.equal(after.class, 'A');
        assert.deepEqual(after.records, []);
        const history = await evaluate<{ recordId: string; entries: CreditChange[] }>(
          hub.bank,
          credit('history', record.recordId),
        );
        assert.deepEqual(
          history.entries.map((e) => [e.action, e.status, e.reason]),
          [
            ['anchor', 'ACTIVE', null],
            ['withdraw', 'WITHDRAWN', 'annulled on review'],
          ],
        );
        assert.equal(history.entries[1]?.mspId, 'WuhanMSP');
        await rejects(hub.wuhan.creditSource, credit('withdraw', record.recordId, 'x'), 'INVALID_STATE_TRANSITION');
        await rejects(hub.wuhan.creditSource, credit('repair', record.recordId, 'x'), 'INVALID_STATE_TRANSITION');
        const txs = await ledger.history();
        assert.equal(txs[txs.length - 1]?.eventName, 'CreditRecordWithdrawn');
      });

      it('a penalty past its maximum is no longer public; a listing stays until its own end', async () => {
        const old = await anchor({ severity: 'MINOR', decisionDate: addDays(addMonths(today, -3), -1) });
        assert.equal(old.publicUntil, addMonths(old.decisionDate, 3));
        assert.ok(addMonths(old.decisionDate, 3) < today, 'its maximum ended yesterday');
        const listing = await anchor({
          category: 'ABNORMAL_OPERATION',
          decisionDate: addMonths(today, -1),
          extra: { validUntil: addDays(today, 10) },
        });
        const now = await profile(hub.enterprise);
        assert.deepEqual(
          now.records.map((r) => r.recordId),
          [listing.recordId],
        );
        assert.equal((await profile(hub.enterprise, addDays(today, 11))).class, 'A');
        const then = await profile(hub.enterprise, old.decisionDate);
        assert.deepEqual(
          then.records.map((r) => r.recordId),
          [old.recordId],
        );
        assert.equal((await profile(hub.enterprise, addDays(today, 10))).class, 'C');
      });

      it('reads several records at once, in the order asked, null for an unknown ID; refuses a bad list', async () => {
        const a = await anchor({ documentNumber: 'No. many-1' });
        const b = await anchor({ documentNumber: 'No. many-2' });
        const unknown = `cr-${'0'.repeat(32)}`;
        const many = await evaluate<(CreditRecord | null)[]>(
          hub.bank,
          credit('getMany', JSON.stringify([b.recordId, unknown, a.recordId])),
        );
        assert.deepEqual(many, [
          await evaluate(hub.bank, credit('get', b.recordId)),
          null,
          await evaluate(hub.bank, credit('get', a.recordId)),
        ]);
        for (const bad of [
          '[]',
          'not json',
          '{"a":1}',
          '[1]',
          '["with space"]',
          JSON.stringify(Array(201).fill(unknown)),
        ]) {
          await rejects(hub.bank, credit('getMany', bad), 'INVALID_ARGUMENT');
        }
      });

      it('lists a subject’s records a page at a time, whatever their status', async () => {
        const ids: string[] = [];
        for (const n of [1, 2, 3]) ids.push((await anchor({ documentNumber: `No. ${String(n)}` })).recordId);
        await submit(hub.wuhan.creditSource, credit('withdraw', ids[0] ?? '', 'annulled'));
        const first = await evaluate<Page<CreditRecord>>(hub.bank, credit('listBySubject', hub.enterprise, '2', ''));
        assert.equal(first.items.length, 2);
        const second = await evaluate<Page<CreditRecord>>(
          hub.bank,
          credit('listBySubject', hub.enterprise, '2', first.bookmark),
        );
        assert.deepEqual([...first.items, ...second.items].map((r) => r.recordId).sort(), [...ids].sort());
        const bySource = await evaluate<Page<CreditRecord>>(
          hub.bank,
          credit('listBySource', hub.wuhan.issuer.uscc, '10', ''),
        );
        assert.deepEqual(bySource.items.map((r) => r.recordId).sort(), [...ids].sort());
        const guangde = await evaluate<Page<CreditRecord>>(
          hub.bank,
          credit('listBySource', hub.guangde.issuer.uscc, '10', ''),
        );
        assert.deepEqual(guangde.items, []);
        const other = makeUscc('91420100MA4K00002');
        const none = await evaluate<Page<CreditRecord>>(hub.bank, credit('listBySubject', other, '10', ''));
        assert.deepEqual(none.items, []);
      });
    });

    describe('profile and class rules', () => {
      it('classifies by the default rule set v1 with reasons; the red list is noted', async () => {
        const red = await anchor({ category: 'REDLIST' });
        const rating = await anchor({ category: 'TAX_RATING', extra: { rating: 'M' } });
        let result = await profile(hub.enterprise);
        assert.equal(result.class, 'B');
        assert.equal(result.ruleSet, 1);
        assert.equal(result.onDate, today);
        assert.deepEqual(
          result.reasons.map((r) => [r.rule, r.recordId]).sort(),
          [
            ['REDLIST', red.recordId],
            ['TAX_RATING_C_M', rating.recordId],
          ].sort(),
        );
        // Profiles list summaries: the anchor's facts without who signed and changed it (get has those).
        const { anchored, lastChange: _lastChange, signature: _signature, ...facts } = red;
        assert.deepEqual(
          result.records.find((r) => r.recordId === red.recordId),
          { ...facts, anchoredTxId: anchored.txId },
        );
        const black = await anchor({ category: 'BLACKLIST', severity: 'SERIOUS' });
        result = await profile(hub.enterprise);
        assert.equal(result.class, 'D');
        assert.ok(result.reasons.some((r) => r.rule === 'BLACKLIST' && r.recordId === black.recordId));
      });

      it('uses the newest rule set stored by a hub admin; versions go one at a time', async () => {
        await anchor({ severity: 'GENERAL' });
        assert.equal((await profile(hub.enterprise)).class, 'B');
        const v2 = {
          version: 2,
          rules: [{ id: 'ANY_PENALTY', class: 'C', category: 'ADMIN_PENALTY', severities: ['GENERAL', 'SERIOUS'] }],
        };
        await rejects(hub.bank, credit('setClassRules', JSON.stringify(v2)), 'FORBIDDEN');
        await rejects(hub.wuhan.admin, credit('setClassRules', JSON.stringify(v2)), 'FORBIDDEN');
        await rejects(hub.wuhan.creditSource, credit('setClassRules', JSON.stringify(v2)), 'FORBIDDEN');
        await rejects(hub.hubAdmin, credit('setClassRules', JSON.stringify({ ...v2, version: 3 })), 'INVALID_ARGUMENT');
        await rejects(
          hub.hubAdmin,
          credit('setClassRules', JSON.stringify({ ...v2, rules: [{ ...v2.rules[0], class: 'E' }] })),
          'INVALID_ARGUMENT',
        );
        await submit(hub.hubAdmin, credit('setClassRules', JSON.stringify(v2)));
        const result = await profile(hub.enterprise);
        assert.equal(result.ruleSet, 2);
        assert.equal(result.class, 'C');
        assert.equal((await evaluate<ClassRuleSet>(hub.bank, credit('getClassRules', ''))).version, 2);
        assert.equal((await evaluate<ClassRuleSet>(hub.bank, credit('getClassRules', '1'))).rules.length, 8);
        assert.equal((await evaluate<ClassRuleSet>(hub.bank, credit('getClassRules', '2'))).rules.length, 1);
        const txs = await ledger.history();
        assert.equal(txs[txs.length - 1]?.eventName, 'ClassRulesSet');
      });

      it('refuses a bad query date, an unknown or malformed rule set version', async () => {
        const refused = async (request: TransactionRequest, code: string): Promise<void> => {
          await assert.rejects(
            () => ledger.evaluate(hub.bank, request),
            (error: unknown) => error instanceof ChaincodeError && error.code === code,
          );
        };
        await refused(credit('profile', hub.enterprise, '2026-02-30'), 'INVALID_ARGUMENT');
        await refused(credit('profile', hub.enterprise, 'today'), 'INVALID_ARGUMENT');
        await refused(credit('getClassRules', '2'), 'NOT_FOUND');
        await refused(credit('getClassRules', 'v1'), 'INVALID_ARGUMENT');
        await refused(credit('listBySubject', hub.enterprise, '0', ''), 'INVALID_ARGUMENT');
        await refused(credit('getByHash', 'b'.repeat(64)), 'NOT_FOUND');
        await refused(credit('getByHash', 'B'.repeat(64)), 'INVALID_ARGUMENT');
      });

      it('an enterprise with no records is class A; a bad USCC is refused', async () => {
        const result = await profile(makeUscc('91420100MA4K00003'));
        assert.deepEqual([result.class, result.reasons, result.records], ['A', [], []]);
        await assert.rejects(
          () => ledger.evaluate(hub.bank, credit('profile', '91420100MA4K000010', '')),
          (error: unknown) => error instanceof ChaincodeError && error.code === 'INVALID_IDENTIFIER',
        );
      });
    });

    describe('access', () => {
      it('only the authority’s own credit source writes; others are FORBIDDEN and nothing is written', async () => {
        const request = anchorRequest({});
        await rejects(hub.guangde.creditSource, request, 'FORBIDDEN');
        await rejects(hub.bank, request, 'FORBIDDEN');
        await rejects(hub.wuhan.issuer.clerk, request, 'FORBIDDEN');
        await rejects(hub.wuhan.admin, request, 'FORBIDDEN');
        await rejects(hub.verifier, request, 'FORBIDDEN');
        // Guangde's source writes for its own authority.
        await submit(hub.guangde.creditSource, anchorRequest({}, hub.guangde));
        const record = await anchor({ decisionDate: addMonths(today, -6) });
        for (const who of [hub.guangde.creditSource, hub.bank, hub.wuhan.issuer.clerk]) {
          await rejects(who, credit('repair', record.recordId, 'x'), 'FORBIDDEN');
          await rejects(who, credit('withdraw', record.recordId, 'x'), 'FORBIDDEN');
        }
        assert.equal((await evaluate<CreditRecord>(hub.bank, credit('get', record.recordId))).status, 'ACTIVE');
      });
    });

    describe('bad input', () => {
      const cases: [string, () => TransactionRequest, string][] = [
        ['a bad subject USCC', () => anchorRequest({ subject: '91420100MA4K000010' }), 'INVALID_IDENTIFIER'],
        [
          'an unknown category',
          () => anchorRequest({ category: 'GOSSIP' as unknown as Facts['category'] }),
          'INVALID_ARGUMENT',
        ],
        [
          'an unknown severity',
          () => anchorRequest({ severity: 'HUGE' as unknown as Facts['severity'] }),
          'INVALID_ARGUMENT',
        ],
        [
          'a decision after the transaction date',
          () => anchorRequest({ decisionDate: addDays(today, 2) }),
          'INVALID_ARGUMENT',
        ],
        ['a malformed decision date', () => anchorRequest({ decisionDate: '2026-02-30' }), 'INVALID_ARGUMENT'],
        [
          'an end before the decision',
          () =>
            anchorRequest({
              category: 'ABNORMAL_OPERATION',
              decisionDate: addDays(today, -1),
              extra: { validUntil: addDays(today, -2) },
            }),
          'INVALID_ARGUMENT',
        ],
        ['an end date on a penalty', () => anchorRequest({ extra: { validUntil: today } }), 'INVALID_ARGUMENT'],
        ['a tax rating without a rating', () => anchorRequest({ category: 'TAX_RATING' }), 'INVALID_ARGUMENT'],
        ['an unknown penalty domain', () => anchorRequest({ extra: { domains: ['NOISE'] } }), 'INVALID_ARGUMENT'],
        ['a signature by another key', () => anchorRequest({ key: Sm2PrivateKey.generate() }), 'BAD_SIGNATURE'],
        [
          'a hash that is not the signed one',
          () => anchorRequest({ extra: { recordHash: 'a'.repeat(64) } }),
          'BAD_SIGNATURE',
        ],
        [
          "another authority's certificate",
          () => anchorRequest({ extra: { certificate: hub.guangde.issuer.certificate.pem } }),
          'CERTIFICATE_REJECTED',
        ],
        ['an unknown source', () => anchorRequest({ extra: { source: makeUscc('11420100MB0000099') } }), 'NOT_FOUND'],
        ['a request that is not JSON', () => credit('anchorRecord', '{'), 'INVALID_ARGUMENT'],
      ];
      for (const [name, request, code] of cases) {
        it(`refuses ${name} with ${code}`, async () => {
          await rejects(hub.wuhan.creditSource, request(), code);
          assert.deepEqual((await profile(hub.enterprise)).records, []);
        });
      }

      it('refuses a record anchored twice with ALREADY_EXISTS naming the first anchor', async () => {
        const request = anchorRequest({ documentNumber: 'No. 7' });
        const first = await submit<CreditRecord>(hub.wuhan.creditSource, request);
        const again = await rejects(hub.wuhan.creditSource, request, 'ALREADY_EXISTS');
        assert.equal(again.context['recordId'], first.recordId);
      });

      it('refuses changes to an unknown record and changes without a reason', async () => {
        await rejects(hub.wuhan.creditSource, credit('repair', 'cr-unknown', 'x'), 'NOT_FOUND');
        const record = await anchor({ decisionDate: addMonths(today, -6) });
        await rejects(hub.wuhan.creditSource, credit('repair', record.recordId, ''), 'INVALID_ARGUMENT');
        await assert.rejects(
          () => ledger.evaluate(hub.bank, credit('history', 'cr-unknown')),
          (error: unknown) => error instanceof ChaincodeError && error.code === 'NOT_FOUND',
        );
      });
    });
  });
}
