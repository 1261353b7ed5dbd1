// Object identifiers the SM2 certificate profile uses (GM/T 0006 and GB/T 20518 / GM/T 0015), plus the
// directory attributes that carry an organisation's unified social credit code in a subject name.

/** SM2 signature with SM3 (GM/T 0006). In certificates its AlgorithmIdentifier has NO parameters. */
export const OID_SM2_WITH_SM3 = '1.2.156.10197.1.501';
/** The SM2 recommended curve, as the namedCurve of an id-ecPublicKey SubjectPublicKeyInfo. */
export const OID_SM2_CURVE = '1.2.156.10197.1.301';
/** id-ecPublicKey (RFC 5480): SM2 keys use the generic EC key type with the SM2 named curve. */
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
/** organizationIdentifier (X.520, 2.5.4.97): where an issuer's USCC goes in its certificate subject. */
export const OID_ORGANIZATION_IDENTIFIER = '2.5.4.97';
/** serialNumber (X.520, 2.5.4.5): an alternative, older place for the USCC in a subject. */
export const OID_SERIAL_NUMBER_ATTRIBUTE = '2.5.4.5';
/** Fabric CA's attribute extension: its value is the raw JSON bytes `{"attrs":{...}}`, not a DER string. */
export const OID_FABRIC_ATTRIBUTES = '1.2.3.4.5.6.7.8.1';
