import assert from 'node:assert/strict';
import type { Ledger, LedgerIdentity, TransactionRequest } from '@certhub/gateway/dist/ledger';
import { evaluateJson } from '@certhub/gateway/dist/services/ledger-json';

/** A ledger whose answers the test sets per function; it hands out a fresh copy each time, as a ledger does. */
function answeringLedger(answers: Map<string, string>): { ledger: Ledger; asked: () => number } {
  let asked = 0;
  const ledger: Pick<Ledger, 'evaluate'> = {
    evaluate: (_identity: LedgerIdentity, request: TransactionRequest): Promise<Uint8Array> => {
      asked += 1;
      return Promise.resolve(Buffer.from(answers.get(`${request.fn}:${(request.args ?? []).join(',')}`) ?? 'null'));
    },
  };
  return { ledger: ledger as Ledger, asked: () => asked };
}

const identity: LedgerIdentity = { mspId: 'Org1MSP', certificatePem: '', privateKeyPem: '' };

describe('evaluateJson', () => {
  it('asks the ledger every time and answers the same frozen parse while the bytes are the same', async () => {
    const answers = new Map([['getIssuer:A', '{"uscc":"A","certificates":[{"fingerprint":"f1"}]}']]);
    const { ledger, asked } = answeringLedger(answers);
    const first = (await evaluateJson(ledger, identity, 'registry', 'getIssuer', ['A'])) as {
      certificates: { fingerprint: string }[];
    };
    const second = await evaluateJson(ledger, identity, 'registry', 'getIssuer', ['A']);
    assert.equal(asked(), 2);
    assert.equal(second, first);
    assert.deepEqual(first, { uscc: 'A', certificates: [{ fingerprint: 'f1' }] });
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first.certificates) && Object.isFrozen(first.certificates[0]));
  });

  it('parses again as soon as the answer changes', async () => {
    const answers = new Map([['get:L1', '{"status":"01"}']]);
    const { ledger } = answeringLedger(answers);
    const before = await evaluateJson(ledger, identity, 'license', 'get', ['L1']);
    answers.set('get:L1', '{"status":"03"}');
    const after = await evaluateJson(ledger, identity, 'license', 'get', ['L1']);
    assert.notEqual(after, before);
    assert.deepEqual(after, { status: '03' });
    assert.deepEqual(before, { status: '01' });
  });

  it('keeps questions apart by contract, function and arguments', async () => {
    const answers = new Map([
      ['get:L1', '{"same":true}'],
      ['get:L2', '{"same":true}'],
    ]);
    const { ledger } = answeringLedger(answers);
    const one = await evaluateJson(ledger, identity, 'license', 'get', ['L1']);
    const two = await evaluateJson(ledger, identity, 'license', 'get', ['L2']);
    const otherContract = await evaluateJson(ledger, identity, 'credit', 'get', ['L1']);
    assert.deepEqual(one, two);
    assert.notEqual(one, two);
    assert.notEqual(one, otherContract);
  });

  it('parses a large answer afresh each time, for its caller alone', async () => {
    const big = JSON.stringify({ items: Array.from({ length: 5000 }, (_, i) => ({ n: i, text: 'x'.repeat(10) })) });
    const { ledger } = answeringLedger(new Map([['list:', big]]));
    const first = await evaluateJson(ledger, identity, 'license', 'list');
    const second = await evaluateJson(ledger, identity, 'license', 'list');
    assert.notEqual(first, second);
    assert.equal(Object.isFrozen(first), false);
  });
});
