import assert from 'node:assert/strict';
import { CreditProfileJson, freezeJson, sameJson } from '@certhub/gateway/dist/services/credit-profile-json';
import type { CreditProfile, ProfileRecord } from '@certhub/gateway/dist/services/credit-profiles';

function record(i: number, overrides: Partial<ProfileRecord> = {}): ProfileRecord {
  return {
    anchoredTxId: String(i).padStart(4, '0').repeat(16),
    category: 'ADMIN_PENALTY',
    decisionDate: '2026-11-16',
    domains: ['OTHER'],
    minimumUntil: '2027-02-16',
    publicUntil: '2027-11-16',
    rating: null,
    recordHash: 'ab'.repeat(32),
    recordId: `cr-${String(i).padStart(32, '0')}`,
    region: '420100',
    repairedOn: null,
    severity: 'GENERAL',
    signerFingerprint: 'cd'.repeat(32),
    source: '114201000111350663',
    status: 'ACTIVE',
    subject: '91420100MA4K00001U',
    withdrawnOn: null,
    checks: [
      { step: 'signature', ok: true, detail: 'SM2 signature of 武汉市市场监督管理局 (114201000111350663)' },
      { step: 'anchor', ok: true, detail: `recordHash ${'ab'.repeat(32)} anchored` },
      { step: 'status', ok: true, detail: 'ACTIVE, public 2026-11-16..2027-11-16' },
    ],
    ...overrides,
  };
}

function profile(records: readonly ProfileRecord[], extra: Partial<CreditProfile> = {}): CreditProfile {
  return {
    subject: '91420100MA4K00001U',
    onDate: '2026-11-21',
    class: 'B',
    ruleSet: 1,
    reasons: [{ rule: 'GENERAL_PENALTY', detail: '一般行政处罚' }] as unknown as CreditProfile['reasons'],
    records,
    lists: [],
    licenses: [],
    ...extra,
  };
}

const stringified = (value: unknown): string => JSON.stringify(value);

describe('CreditProfileJson', () => {
  it('writes exactly the bytes of JSON.stringify, first time and when its records are remembered', () => {
    const json = new CreditProfileJson();
    const answer = profile(Array.from({ length: 50 }, (_, i) => record(i)));
    assert.equal(json.bytes(answer).toString('utf8'), stringified(answer));
    const again = profile(Array.from({ length: 50 }, (_, i) => record(i)));
    assert.equal(json.bytes(again).toString('utf8'), stringified(again));
    assert.equal(json.bytes(profile([])).toString('utf8'), stringified(profile([])));
  });

  it('writes a record afresh when anything in it changed: status, a check, a field’s order', () => {
    const json = new CreditProfileJson();
    json.bytes(profile([record(1), record(2)]));
    const repaired = record(1, { status: 'REPAIRED', repairedOn: '2027-03-01' });
    const failing = record(2, {
      checks: [
        { step: 'signature', ok: false, detail: 'the SM2 signature does not verify' },
        { step: 'anchor', ok: true, detail: 'anchored' },
        { step: 'status', ok: true, detail: 'ACTIVE' },
      ],
    });
    const changed = profile([repaired, failing]);
    const text = json.bytes(changed).toString('utf8');
    assert.equal(text, stringified(changed));
    assert.match(text, /"status":"REPAIRED"/);
    assert.match(text, /does not verify/);
    const { status, ...rest } = record(1);
    const reordered = profile([{ ...rest, status }]);
    assert.equal(json.bytes(reordered).toString('utf8'), stringified(reordered));
  });

  it('reuses a deeply frozen record’s text by the object itself; another object with other fields is written afresh', () => {
    const json = new CreditProfileJson();
    const deepFreeze = <T>(value: T): T => {
      if (typeof value === 'object' && value !== null) {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
      }
      return value;
    };
    // CreditProfiles answers with freezeJson'd records; an unchanged record comes back as the same object.
    const kept = freezeJson(record(5));
    const first = profile([kept, freezeJson(record(6))]);
    assert.equal(json.bytes(first).toString('utf8'), stringified(first));
    const withdrawn = freezeJson(record(6, { status: 'WITHDRAWN', withdrawnOn: '2027-01-02' }));
    const second = profile([kept, withdrawn]);
    assert.equal(json.bytes(second).toString('utf8'), stringified(second));
    assert.match(json.bytes(second).toString('utf8'), /"withdrawnOn":"2027-01-02"/);
    // Frozen by anyone else (not known to freezeJson): compared, not trusted by identity.
    const other = deepFreeze(record(5, { severity: 'SERIOUS' }));
    assert.equal(json.bytes(profile([other])).toString('utf8'), stringified(profile([other])));
  });

  it('compares what it wrote, not the caller’s object, which may change after', () => {
    const json = new CreditProfileJson();
    const mutable = record(3) as { -readonly [K in keyof ProfileRecord]: ProfileRecord[K] };
    json.bytes(profile([mutable]));
    mutable.status = 'WITHDRAWN';
    assert.equal(json.bytes(profile([mutable])).toString('utf8'), stringified(profile([mutable])));
  });

  it('leaves out keys whose value is undefined, as JSON.stringify does (a profile without detail)', () => {
    const json = new CreditProfileJson();
    const answer = { ...profile([record(4)]), detail: undefined } as CreditProfile;
    assert.equal(json.bytes(answer).toString('utf8'), stringified(answer));
  });

  it('sameJson: equal JSON text only; anything it cannot vouch for is different', () => {
    assert.equal(sameJson({ a: 1, b: [1, 'x', null] }, { a: 1, b: [1, 'x', null] }), true);
    assert.equal(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 }), false, 'key order is part of the text');
    assert.equal(sameJson([1, 2], [1, 2, 3]), false);
    assert.equal(sameJson({ a: [1] }, { a: { 0: 1 } }), false);
    assert.equal(sameJson({ a: undefined }, { a: undefined }), false);
    assert.equal(sameJson(new Date(0), new Date(1)), false);
    assert.equal(sameJson(Number.NaN, Number.NaN), false);
    assert.equal(sameJson('1', 1), false);
  });
});
