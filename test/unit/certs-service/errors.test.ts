import assert from 'node:assert/strict';
import { CertHubError } from '@certhub/certs-service';

class ExampleError extends CertHubError {
  readonly code = 'EXAMPLE';
}

describe('CertHubError', () => {
  it('names the subclass, keeps its context and cause', () => {
    const cause = new Error('root');
    const err = new ExampleError('it broke', { id: 'x' }, { cause });
    assert.equal(err.name, 'ExampleError');
    assert.equal(err.code, 'EXAMPLE');
    assert.deepEqual(err.context, { id: 'x' });
    assert.equal(err.cause, cause);
    assert.ok(err instanceof CertHubError);
  });
});
