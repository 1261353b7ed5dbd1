import assert from 'node:assert/strict';
import { Certificate } from '@fidm/x509';
import { createFabricCa, issueFabricIdentity } from '@certhub/certs-service';
import {
  installCertificateParseCache,
  memoizeByText,
} from '@certhub/gateway/dist/ledger/embedded/certificate-parse-cache';

describe('certificate parse cache', () => {
  it('parses each text once and returns the same result for a string or a Buffer of it', () => {
    const seen: string[] = [];
    const parse = memoizeByText((data: Buffer) => {
      seen.push(data.toString());
      return { text: data.toString() };
    }, 2);
    const first = parse('a');
    assert.equal(parse(Buffer.from('a')), first);
    assert.deepEqual(seen, ['a']);
  });

  it('keeps only the most recently used results', () => {
    const seen: string[] = [];
    const parse = memoizeByText((data: Buffer) => {
      seen.push(data.toString());
      return data.toString();
    }, 2);
    parse('a');
    parse('b');
    parse('a'); // a is now the most recent
    parse('c'); // evicts b
    parse('a');
    parse('b');
    assert.deepEqual(seen, ['a', 'b', 'c', 'b']);
  });

  it("makes @fidm/x509's Certificate.fromPEM (what fabric-shim calls) return one parse per certificate", async () => {
    installCertificateParseCache();
    installCertificateParseCache(); // idempotent: a second install must not wrap the memo again
    const ca = await createFabricCa({ mspId: 'CacheMSP', commonName: 'ca.cache' });
    const alice = await issueFabricIdentity(ca, { mspId: 'CacheMSP', enrollmentId: 'alice', attrs: { role: 'clerk' } });
    const bob = await issueFabricIdentity(ca, { mspId: 'CacheMSP', enrollmentId: 'bob' });
    const a1 = Certificate.fromPEM(Buffer.from(alice.certificatePem));
    const a2 = Certificate.fromPEM(Buffer.from(alice.certificatePem));
    const b = Certificate.fromPEM(Buffer.from(bob.certificatePem));
    assert.equal(a1, a2);
    assert.notEqual(a1, b);
    assert.equal(a1.subject.commonName, 'alice');
    assert.equal(b.subject.commonName, 'bob');
  });
});
