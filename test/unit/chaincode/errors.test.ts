import assert from 'node:assert/strict';
import { InvalidIdentifierError, parseLicenseId } from '@certhub/certs-service';
import { ChaincodeRuleError } from '@certhub/chaincode';
import { toTransportError } from '@certhub/chaincode/dist/errors';
import { chaincodeErrorFromMessage } from '@certhub/gateway/dist/ledger';

describe('chaincode errors across fabric-shim', () => {
  it('encodes a rule error as {code, message, context} JSON that the ledger turns back into the same code', () => {
    const original = new ChaincodeRuleError('FORBIDDEN', 'no', { mspId: 'BankMSP' });
    const transported = toTransportError(original);
    assert.deepEqual(JSON.parse(transported.message), {
      code: 'FORBIDDEN',
      message: 'no',
      context: { mspId: 'BankMSP' },
    });
    const restored = chaincodeErrorFromMessage(transported.message, 'tx1');
    assert.equal(restored.code, 'FORBIDDEN');
    assert.equal(restored.txId, 'tx1');
    assert.deepEqual(restored.context, { mspId: 'BankMSP' });
  });

  it("keeps certs-service's own codes (e.g. INVALID_IDENTIFIER)", () => {
    let caught: unknown;
    try {
      parseLicenseId('1.2.156.3005.2.bad');
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof InvalidIdentifierError);
    assert.equal(chaincodeErrorFromMessage(toTransportError(caught).message, 't').code, 'INVALID_IDENTIFIER');
  });

  it('reports untyped failures as INTERNAL, and unstructured shim messages as CHAINCODE_ERROR', () => {
    assert.equal((JSON.parse(toTransportError(new TypeError('boom')).message) as { code: string }).code, 'INTERNAL');
    assert.equal(chaincodeErrorFromMessage('Contract name is not known: nope', 't').code, 'CHAINCODE_ERROR');
  });
});
