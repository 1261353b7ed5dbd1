import assert from 'node:assert/strict';
import type { CreditCategory, CreditRecord, Severity, TaxRating } from '@certhub/chaincode';
import { DEFAULT_CLASS_RULES, classify, parseClassRuleSet } from '@certhub/chaincode/dist/rules/supervision-class';

const stamp = { txId: 't', timestamp: '2026-11-21T00:00:00.000Z', mspId: 'WuhanMSP', actor: 'x' };

function record(
  recordId: string,
  category: CreditCategory,
  severity: Severity = 'GENERAL',
  rating: TaxRating | null = null,
): CreditRecord {
  return {
    recordId,
    subject: '91420100MA4KXXXX0X',
    category,
    severity,
    domains: [],
    rating,
    decisionDate: '2026-01-01',
    minimumUntil: '2026-04-01',
    publicUntil: null,
    source: 'S',
    region: '420100',
    recordHash: '0'.repeat(64),
    signature: '',
    signerFingerprint: '',
    status: 'ACTIVE',
    repairedOn: null,
    withdrawnOn: null,
    anchored: stamp,
    lastChange: { ...stamp, action: 'anchor', status: 'ACTIVE', effective: '2026-01-01', reason: null },
  };
}

const classOf = (...records: CreditRecord[]): string => classify(DEFAULT_CLASS_RULES, records).class;

describe('chaincode rules: supervision class (default rule set v1)', () => {
  it('A with no records, or only licences, minor penalties and good ratings', () => {
    assert.equal(classOf(), 'A');
    assert.equal(
      classOf(
        record('1', 'ADMIN_LICENSE'),
        record('2', 'ADMIN_PENALTY', 'MINOR'),
        record('3', 'TAX_RATING', 'GENERAL', 'A'),
        record('4', 'TAX_RATING', 'GENERAL', 'B'),
      ),
      'A',
    );
  });
  it('B: a general penalty public, or tax rating C or M', () => {
    assert.equal(classOf(record('1', 'ADMIN_PENALTY', 'GENERAL')), 'B');
    assert.equal(classOf(record('1', 'TAX_RATING', 'GENERAL', 'C')), 'B');
    assert.equal(classOf(record('1', 'TAX_RATING', 'GENERAL', 'M')), 'B');
  });
  it('C: a serious penalty public, an abnormal-operation listing, or tax rating D', () => {
    assert.equal(classOf(record('1', 'ADMIN_PENALTY', 'SERIOUS')), 'C');
    assert.equal(classOf(record('1', 'ABNORMAL_OPERATION')), 'C');
    assert.equal(classOf(record('1', 'TAX_RATING', 'GENERAL', 'D')), 'C');
  });
  it('D: blacklisted or a dishonest judgment debtor', () => {
    assert.equal(classOf(record('1', 'BLACKLIST')), 'D');
    assert.equal(classOf(record('1', 'DISHONEST_DEBTOR')), 'D');
  });
  it('the worst class wins and every match is a reason; the red list is noted without changing the class', () => {
    const verdict = classify(DEFAULT_CLASS_RULES, [
      record('r1', 'REDLIST'),
      record('r2', 'ADMIN_PENALTY', 'GENERAL'),
      record('r3', 'BLACKLIST'),
    ]);
    assert.equal(verdict.class, 'D');
    assert.deepEqual(verdict.reasons, [
      { rule: 'REDLIST', class: null, recordId: 'r1', category: 'REDLIST' },
      { rule: 'GENERAL_PENALTY', class: 'B', recordId: 'r2', category: 'ADMIN_PENALTY' },
      { rule: 'BLACKLIST', class: 'D', recordId: 'r3', category: 'BLACKLIST' },
    ]);
    assert.equal(classOf(record('r1', 'REDLIST')), 'A');
  });

  describe('parsing a rule set', () => {
    const rule = { id: 'X', class: 'C', category: 'ADMIN_PENALTY', severities: ['GENERAL'] };
    it('accepts a valid set and normalises optional lists', () => {
      assert.deepEqual(parseClassRuleSet({ version: 2, rules: [rule] }), {
        version: 2,
        rules: [{ id: 'X', class: 'C', category: 'ADMIN_PENALTY', severities: ['GENERAL'], ratings: null }],
      });
    });
    it('round-trips the default set', () => {
      assert.deepEqual(
        parseClassRuleSet(JSON.parse(JSON.stringify(DEFAULT_CLASS_RULES)) as Record<string, unknown>),
        DEFAULT_CLASS_RULES,
      );
    });
    const bad: [string, Record<string, unknown>][] = [
      ['version 0', { version: 0, rules: [rule] }],
      ['no rules', { version: 2, rules: [] }],
      ['unknown class', { version: 2, rules: [{ ...rule, class: 'E' }] }],
      ['unknown category', { version: 2, rules: [{ ...rule, category: 'GOSSIP' }] }],
      ['unknown severity', { version: 2, rules: [{ ...rule, severities: ['HUGE'] }] }],
      ['duplicate ids', { version: 2, rules: [rule, rule] }],
    ];
    for (const [name, value] of bad) {
      it(`refuses ${name} with INVALID_ARGUMENT`, () => {
        assert.throws(
          () => parseClassRuleSet(value),
          (error: unknown) => (error as { code?: string }).code === 'INVALID_ARGUMENT',
        );
      });
    }
  });
});
