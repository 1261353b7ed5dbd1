import assert from 'node:assert/strict';
import { CertificateIssuanceError } from '@certhub/certs-service';
import {
  formatName,
  parseDistinguishedName,
  usccOfName,
  withOrganizationIdentifier,
} from '@certhub/certs-service/dist/x509/names';

const invalidName = (error: unknown): boolean =>
  error instanceof CertificateIssuanceError && error.context.reason === 'INVALID_NAME';

describe('x509 / distinguished names', () => {
  it('parses RFC 4514-style DNs with or without spaces, escapes, quotes, multi-valued RDNs and Chinese text', () => {
    const cases: [string, string][] = [
      ['CN=Wuhan Root CA,O=Wuhan,C=CN', 'CN=Wuhan Root CA, O=Wuhan, C=CN'],
      ['CN=Wuhan Root CA, O=Wuhan, C=CN', 'CN=Wuhan Root CA, O=Wuhan, C=CN'],
      ['CN=Foo\\, Inc., C=CN', 'CN=Foo\\, Inc., C=CN'],
      ['CN="Foo, Inc.", C=CN', 'CN=Foo\\, Inc., C=CN'],
      ['CN=a+OU=b, C=CN', 'CN=a+OU=b, C=CN'],
      ['CN=武汉市市场监督管理局, O=武汉市人民政府', 'CN=武汉市市场监督管理局, O=武汉市人民政府'],
      ['CN=x, organizationIdentifier=914403001922038216', 'CN=x, organizationIdentifier=914403001922038216'],
    ];
    for (const [input, printed] of cases) {
      assert.equal(formatName(parseDistinguishedName(input).toArrayBuffer()), printed, input);
    }
  });

  it('refuses what the library parser would mangle: OpenSSL /C=.. form, empty values, bad countries, no attributes', () => {
    for (const dn of ['/C=CN/CN=x', 'CN=', 'CN=x, C=China', 'CN=x, C=cn', 'garbage', '']) {
      assert.throws(() => parseDistinguishedName(dn), invalidName, dn);
    }
  });

  it('appends organizationIdentifier, keeps an identical one, refuses a different one', () => {
    const name = withOrganizationIdentifier(parseDistinguishedName('CN=Issuer, C=CN'), '914403001922038216');
    assert.equal(formatName(name.toArrayBuffer()), 'CN=Issuer, C=CN, organizationIdentifier=914403001922038216');
    assert.equal(withOrganizationIdentifier(name, '914403001922038216'), name);
    assert.throws(() => withOrganizationIdentifier(name, '91110000802100433B'), invalidName);
  });

  it('reads the USCC from organizationIdentifier first, then serialNumber, dropping NTRCN-', () => {
    const uscc = (dn: string): string | undefined => usccOfName(parseDistinguishedName(dn).toArrayBuffer());
    assert.equal(uscc('CN=x, serialNumber=11420200MB1234567X'), '11420200MB1234567X');
    assert.equal(uscc('CN=x, serialNumber=S, organizationIdentifier=914403001922038216'), '914403001922038216');
    assert.equal(uscc('CN=x, organizationIdentifier=NTRCN-914403001922038216'), '914403001922038216');
    assert.equal(uscc('CN=x, O=y'), undefined);
  });
});
