// Distinguished names for SM2 certificates: parsing a caller's DN string, adding the USCC, and printing names with
// readable attribute types (organizationIdentifier, serialNumber) that @peculiar/x509 would otherwise print as OIDs.
import { Name, type JsonName } from './peculiar';
import { CertificateIssuanceError } from './errors';
import { OID_ORGANIZATION_IDENTIFIER, OID_SERIAL_NUMBER_ATTRIBUTE } from './oids';

/** Attribute types beyond @peculiar/x509's built-in CN/O/OU/C/...; usable by name in DN strings. */
const EXTRA_NAMES = {
  organizationIdentifier: OID_ORGANIZATION_IDENTIFIER,
  serialNumber: OID_SERIAL_NUMBER_ATTRIBUTE,
};

/** countryName is a two-letter ISO 3166 code (X.520 PrintableString SIZE(2)). */
const COUNTRY_OID = '2.5.4.6';

/**
 * Parses an RFC 4514-style DN ("CN=..., O=..., C=CN"); Chinese text is encoded as UTF8String. The library parser is
 * forgiving, so the shapes it would silently mangle are refused here: OpenSSL's "/C=CN/CN=..." form (it would become
 * one country value), empty values, and a country that is not two letters.
 */
export function parseDistinguishedName(dn: string): Name {
  const invalid = (why: string, cause?: unknown): CertificateIssuanceError =>
    new CertificateIssuanceError(
      'INVALID_NAME',
      `the subject is not a usable distinguished name: ${why}`,
      { dn },
      { cause },
    );
  if (dn.trimStart().startsWith('/')) {
    throw invalid('use "CN=..., O=..., C=CN", not OpenSSL\'s "/C=CN/CN=..." form');
  }
  let name: Name;
  try {
    name = new Name(dn, EXTRA_NAMES);
  } catch (cause) {
    throw invalid('it does not parse', cause);
  }
  const attributes = name.toJSON().flatMap((rdn) => Object.values(rdn).flat());
  if (attributes.length === 0) {
    throw invalid('it names no attribute');
  }
  if (attributes.some((value) => value.trim() === '')) {
    throw invalid('an attribute is empty');
  }
  if (name.getField(COUNTRY_OID).some((country) => !/^[A-Z]{2}$/.test(country))) {
    throw invalid('C must be a two-letter country code');
  }
  return name;
}

/** The DN with organizationIdentifier = `uscc` appended, unless the DN already names exactly that organisation. */
export function withOrganizationIdentifier(name: Name, uscc: string): Name {
  const present = name.getField(OID_ORGANIZATION_IDENTIFIER);
  if (present.length > 0) {
    if (present.every((value) => value === uscc)) {
      return name;
    }
    throw new CertificateIssuanceError(
      'INVALID_NAME',
      'the subject already carries a different organizationIdentifier',
      { uscc, present },
    );
  }
  const json: JsonName = [...name.toJSON(), { [OID_ORGANIZATION_IDENTIFIER]: [uscc] }];
  return new Name(json, EXTRA_NAMES);
}

/** A DER-encoded name printed as "CN=..., organizationIdentifier=...". */
export function formatName(der: ArrayBuffer): string {
  return new Name(der, EXTRA_NAMES).toString();
}

/** organizationIdentifier, else serialNumber, of a DER-encoded subject; the ETSI "NTRCN-" prefix is dropped. */
export function usccOfName(der: ArrayBuffer): string | undefined {
  const name = new Name(der, EXTRA_NAMES);
  const value = name.getField(OID_ORGANIZATION_IDENTIFIER)[0] ?? name.getField(OID_SERIAL_NUMBER_ATTRIBUTE)[0];
  // ETSI EN 319 412-1 writes organisation identifiers as <scheme><country>-<id>, e.g. NTRCN-9144...; keep just the id.
  return value?.replace(/^NTRCN-/, '');
}
