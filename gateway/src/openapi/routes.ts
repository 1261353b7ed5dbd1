import type { TSchema } from '@sinclair/typebox';
import type { Role } from '../auth/user';
import * as s from '../schemas';

/*
 * Every route of DESIGN.md §5 declared once: who may call it and the schemas of its parameters, body and answers.
 * buildOpenApiDocument() publishes this table; routers take the same schemas for validateRequest, so the document
 * and the checks cannot drift apart.
 */

/** Who may call: `public` (no token), `optional` (anonymous or signed in), `signed-in` (any role) or a role list. */
export type Access = 'public' | 'optional' | 'signed-in' | readonly Role[];

export interface ResponseSpec {
  readonly description: string;
  /** JSON body schema; for other media types see `media`. */
  readonly schema?: TSchema;
  /** Non-JSON bodies: media type → description of the bytes. */
  readonly media?: Readonly<Record<string, string>>;
}

export interface RouteSpec {
  readonly method: 'get' | 'post' | 'put';
  /** OpenAPI path template, e.g. /v1/licenses/{id}. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  readonly params?: TSchema;
  readonly query?: TSchema;
  readonly body?: TSchema;
  /**
   * Also accepts the body as NDJSON, one `ndjsonItem` a line. Such a route reads its body itself, as a stream with
   * its own limits, and checks each item on its own; the edge neither parses nor validates `body` as a whole.
   */
  readonly ndjsonItem?: TSchema;
  readonly idempotent?: boolean;
  /** Success responses by status; error responses are added from the route's traits. */
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Extra error statuses this route can answer besides the ones implied by auth, parameters and body. */
  readonly errors?: readonly number[];
}

const CLERK: readonly Role[] = ['clerk'];
const REGION_ADMIN: readonly Role[] = ['region-admin'];
const ADMINS: readonly Role[] = ['region-admin', 'hub-admin'];

const statusChange = (action: 'suspend' | 'reinstate' | 'revoke' | 'cancel', summary: string): RouteSpec => ({
  method: 'post',
  path: `/v1/licenses/{id}/${action}`,
  operationId: `${action}License`,
  summary,
  tag: 'licenses',
  access: CLERK,
  params: s.LicenseIdParams,
  body: s.LicenseStatusChangeRequest,
  responses: { 200: { description: 'The new status, as committed.', schema: s.LicenseStatusChangeResponse } },
  errors: [404, 409],
});

export const ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/licenses',
    operationId: 'issueLicense',
    summary: 'Issue an e-license: validate, build the ID, sign with the issuer’s SM2 key, store, anchor.',
    tag: 'licenses',
    access: CLERK,
    body: s.LicenseIssueRequest,
    idempotent: true,
    responses: { 201: { description: 'Issued and anchored.', schema: s.LicenseIssueResponse } },
    errors: [409, 422],
  },
  {
    method: 'post',
    path: '/v1/licenses/batch',
    operationId: 'issueLicenseBatch',
    summary:
      'Bulk issue for the clerk’s issuer (JSON array or NDJSON stream) as a job with progress and Merkle batch anchoring. Items that fail the item schema or the registry checks (unknown type, issuer not authorised, bad ID check character) become FAILED job items with {code, detail}; the valid ones are issued. A malformed body or line (400), too many items or bytes (413) or an unusable issuer refuses the whole batch with nothing written.',
    tag: 'licenses',
    access: CLERK,
    body: s.LicenseBatchRequest,
    ndjsonItem: s.LicenseIssueRequest,
    idempotent: true,
    responses: {
      202: {
        description:
          'Accepted (or, for a repeated Idempotency-Key with the same items, the job it created); Location: /v1/jobs/{jobId}.',
        schema: s.JobAccepted,
      },
    },
    errors: [403, 422, 503],
  },
  {
    method: 'get',
    path: '/v1/jobs/{jobId}',
    operationId: 'getJob',
    summary:
      'Progress and per-item results of a bulk import job, one page of items at a time; only clerks of the job’s issuer see it (others: 404).',
    tag: 'licenses',
    access: CLERK,
    params: s.JobIdParams,
    query: s.JobQuery,
    responses: { 200: { description: 'The job.', schema: s.Job } },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/licenses/{id}',
    operationId: 'getLicense',
    summary: 'The on-chain anchor and current status of a license.',
    tag: 'licenses',
    access: 'signed-in',
    params: s.LicenseIdParams,
    responses: { 200: { description: 'The anchor.', schema: s.LicenseState } },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/licenses/{id}/document',
    operationId: 'getLicenseDocument',
    summary: 'The signed document, for the issuer’s clerks and the holder’s authorised readers.',
    tag: 'licenses',
    access: ['clerk', 'enterprise', 'bank', 'verifier'],
    params: s.LicenseIdParams,
    responses: { 200: { description: 'The signed e-license (§3).', schema: s.LicenseDocumentSchema } },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/licenses/{id}/history',
    operationId: 'getLicenseHistory',
    summary: 'Provenance of a license, oldest first.',
    tag: 'licenses',
    access: 'signed-in',
    params: s.LicenseIdParams,
    responses: { 200: { description: 'Every change with its transaction.', schema: s.LicenseHistory } },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/licenses/{id}/qr.svg',
    operationId: 'getLicenseQrSvg',
    summary: 'QR code (SVG) encoding certhub:1:<licenseId>:<docHash> of the current version.',
    tag: 'licenses',
    access: 'public',
    params: s.LicenseIdParams,
    responses: { 200: { description: 'The QR code.', media: { 'image/svg+xml': 'SVG image' } } },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/licenses/{id}/qr.png',
    operationId: 'getLicenseQrPng',
    summary: 'QR code (PNG) encoding certhub:1:<licenseId>:<docHash> of the current version.',
    tag: 'licenses',
    access: 'public',
    params: s.LicenseIdParams,
    responses: { 200: { description: 'The QR code.', media: { 'image/png': 'PNG image' } } },
    errors: [404],
  },
  statusChange('suspend', 'Suspend a valid license (01 → 02).'),
  statusChange('reinstate', 'Reinstate a suspended license (02 → 01).'),
  statusChange('revoke', 'Revoke a license (→ 07).'),
  statusChange('cancel', 'Cancel a license (→ 04).'),
  {
    method: 'post',
    path: '/v1/licenses/{id}/amend',
    operationId: 'amendLicense',
    summary:
      'Amend: a new version (same type, issuer, serial and holder; version + 1; `previous` = this ID), signed with the issuer’s current key, stored and anchored; this version becomes withdrawn (03). Only a valid (01) or suspended (02) license.',
    tag: 'licenses',
    access: CLERK,
    params: s.LicenseIdParams,
    body: s.LicenseAmendRequest,
    idempotent: true,
    responses: { 201: { description: 'The new version, signed and anchored.', schema: s.LicenseAmendResponse } },
    errors: [404, 409, 422],
  },
  {
    method: 'post',
    path: '/v1/verify',
    operationId: 'verify',
    summary: 'Verify a document, a license ID (+ docHash) or a QR payload; every step of DESIGN.md §6 is reported.',
    tag: 'verification',
    access: 'optional',
    body: s.VerifyRequest,
    responses: { 200: { description: 'The verification report.', schema: s.VerificationReport } },
  },
  {
    method: 'get',
    path: '/v1/enterprises/{uscc}/licenses',
    operationId: 'getEnterpriseLicenses',
    summary: 'Licenses held by an enterprise (by its USCC), each with its current status, a page at a time.',
    tag: 'enterprises',
    // Verifiers and banks look any enterprise up; an enterprise user only itself.
    access: ['verifier', 'bank', 'enterprise'],
    params: s.EnterpriseParams,
    query: s.EnterpriseLicensesQuery,
    responses: { 200: { description: 'The enterprise’s licenses.', schema: s.EnterpriseLicenses } },
  },
  {
    method: 'post',
    path: '/v1/credit-records',
    operationId: 'createCreditRecord',
    summary:
      'Anchor a credit record about an enterprise for the caller’s own authority: full record stored off chain (SM4), its SM3 signed with the authority’s SM2 key and anchored.',
    tag: 'credit',
    access: ['credit-source'],
    body: s.CreditRecordRequest,
    idempotent: true,
    responses: { 201: { description: 'Anchored.', schema: s.CreditRecordCreated } },
    errors: [409, 422],
  },
  {
    method: 'post',
    path: '/v1/credit-records/{id}/repair',
    operationId: 'repairCreditRecord',
    summary: 'Record a credit repair (publication ends), once the minimum publicity period has passed.',
    tag: 'credit',
    access: ['credit-source'],
    params: s.CreditRecordIdParams,
    body: s.CreditRecordChangeRequest,
    responses: { 200: { description: 'The record’s new state.', schema: s.CreditRecordStateChange } },
    errors: [404, 409],
  },
  {
    method: 'post',
    path: '/v1/credit-records/{id}/withdraw',
    operationId: 'withdrawCreditRecord',
    summary: 'Withdraw a credit record whose decision was annulled: it leaves the profile, its history stays.',
    tag: 'credit',
    access: ['credit-source'],
    params: s.CreditRecordIdParams,
    body: s.CreditRecordChangeRequest,
    responses: { 200: { description: 'The record’s new state.', schema: s.CreditRecordStateChange } },
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/v1/enterprises/{uscc}/credit',
    operationId: 'getCreditProfile',
    summary:
      'Credit profile on a date: public records (each with signature, anchor and status checks), list memberships, licenses held and the supervision class with its reasons; detail for a bank with the enterprise’s consent (purpose required, logged).',
    tag: 'credit',
    access: 'optional',
    params: s.EnterpriseParams,
    query: s.CreditProfileQuery,
    responses: { 200: { description: 'The profile.', schema: s.CreditProfile } },
    errors: [403],
  },
  {
    method: 'post',
    path: '/v1/enterprises/{uscc}/consents',
    operationId: 'grantConsent',
    summary:
      'The enterprise lets a bank read its credit detail (and/or licenses) until a date (inclusive, China time). An enterprise user’s consent is signed with the enterprise’s SM2 key the gateway holds, or by the enterprise itself: then send signedAt, signature and certificate (the signed bytes are described at `signature`). The enterprise’s registration authority (the admin of the region in USCC characters 3–8) records one in its name, unsigned. The chain verifies the signature and the certificate’s chain to that region’s root.',
    tag: 'credit',
    access: ['enterprise', 'region-admin'],
    params: s.EnterpriseParams,
    body: s.ConsentRequest,
    responses: { 201: { description: 'Consent granted; Location names it.', schema: s.ConsentChanged } },
    errors: [404, 409, 422, 503],
  },
  {
    method: 'post',
    path: '/v1/enterprises/{uscc}/consents/{id}/revoke',
    operationId: 'revokeConsent',
    summary:
      'The enterprise or its registration authority revokes a consent in force, with a reason; from today banks are refused.',
    tag: 'credit',
    access: ['enterprise', 'region-admin'],
    params: s.ConsentParams,
    body: s.ConsentRevokeRequest,
    responses: { 200: { description: 'The consent, revoked.', schema: s.ConsentChanged } },
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/v1/enterprises/{uscc}/consents',
    operationId: 'listConsents',
    summary:
      'An enterprise’s consents with their state today: all of them for the enterprise and its registration authority, those naming it for a bank.',
    tag: 'credit',
    access: ['enterprise', 'region-admin', 'bank'],
    params: s.EnterpriseParams,
    responses: { 200: { description: 'The consents.', schema: s.ConsentList } },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/enterprises/{uscc}/access-log',
    operationId: 'getAccessLog',
    summary:
      'Who looked at the enterprise’s credit detail (bank, user, when, purpose, what, consent, allowed or refused), newest first, for the enterprise and its registration authority; with whether the whole hash-chained log recomputes and matches every head anchored on chain.',
    tag: 'credit',
    access: ['enterprise', 'region-admin'],
    params: s.EnterpriseParams,
    query: s.AccessLogQuery,
    responses: { 200: { description: 'The access log.', schema: s.AccessLog } },
  },
  {
    method: 'post',
    path: '/v1/recognitions',
    operationId: 'proposeRecognition',
    summary: 'Propose a mutual-recognition agreement (by the accepting region’s admin, or the issuing one’s).',
    tag: 'recognitions',
    access: REGION_ADMIN,
    body: s.RecognitionProposal,
    responses: { 201: { description: 'Proposed.', schema: s.RecognitionStatusChange } },
    errors: [422],
  },
  {
    method: 'post',
    path: '/v1/recognitions/{id}/accept',
    operationId: 'acceptRecognition',
    summary: 'Accept a proposed agreement (by the admin of the region that did not propose it).',
    tag: 'recognitions',
    access: REGION_ADMIN,
    params: s.RecognitionIdParams,
    responses: { 200: { description: 'Active.', schema: s.RecognitionStatusChange } },
    errors: [404, 409],
  },
  {
    method: 'post',
    path: '/v1/recognitions/{id}/revoke',
    operationId: 'revokeRecognition',
    summary: 'Revoke a proposed or active agreement with a reason (by either region’s admin).',
    tag: 'recognitions',
    access: REGION_ADMIN,
    params: s.RecognitionIdParams,
    body: s.RecognitionRevokeRequest,
    responses: { 200: { description: 'Revoked.', schema: s.RecognitionStatusChange } },
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/v1/recognitions',
    operationId: 'listRecognitions',
    summary: 'Mutual-recognition agreements.',
    tag: 'recognitions',
    access: ADMINS,
    query: s.RecognitionQuery,
    responses: { 200: { description: 'The agreements.', schema: s.RecognitionList } },
  },
  {
    method: 'post',
    path: '/v1/issuers',
    operationId: 'registerIssuer',
    summary: 'Register an issuer in the admin’s region with its SM2 certificate, or a key the gateway makes for it.',
    tag: 'issuers',
    access: REGION_ADMIN,
    body: s.IssuerRegistration,
    responses: { 201: { description: 'Registered.', schema: s.IssuerCertificateAdded } },
    errors: [409, 422],
  },
  {
    method: 'get',
    path: '/v1/issuers/{uscc}',
    operationId: 'getIssuer',
    summary: 'One issuer, its certificates and authorised license types.',
    tag: 'issuers',
    access: ADMINS,
    params: s.IssuerParams,
    responses: { 200: { description: 'The issuer.', schema: s.Issuer } },
    errors: [404],
  },
  {
    method: 'post',
    path: '/v1/issuers/{uscc}/certificates',
    operationId: 'addIssuerCertificate',
    summary: 'Rotate keys: add a certificate (given, or a new gateway-made key) that signs new licenses from now on.',
    tag: 'issuers',
    access: REGION_ADMIN,
    params: s.IssuerParams,
    body: s.IssuerCertificateRotation,
    responses: { 201: { description: 'Added.', schema: s.IssuerCertificateAdded } },
    errors: [404, 409, 422],
  },
  {
    method: 'post',
    path: '/v1/issuers/{uscc}/certificates/{fingerprint}/retire',
    operationId: 'retireIssuerCertificate',
    summary: 'Retire a key from a time: licenses it signed before stay valid, later signatures fail the issuer step.',
    tag: 'issuers',
    access: REGION_ADMIN,
    params: s.IssuerCertificateParams,
    body: s.IssuerRetirement,
    responses: { 200: { description: 'Retired.', schema: s.IssuerChange } },
    errors: [404, 409],
  },
  {
    method: 'put',
    path: '/v1/issuers/{uscc}/license-types',
    operationId: 'setIssuerLicenseTypes',
    summary: 'Replace the license types an issuer may sign.',
    tag: 'issuers',
    access: REGION_ADMIN,
    params: s.IssuerParams,
    body: s.IssuerLicenseTypesUpdate,
    responses: { 200: { description: 'Changed.', schema: s.IssuerChange } },
    errors: [404, 422],
  },
  {
    method: 'get',
    path: '/v1/issuers',
    operationId: 'listIssuers',
    summary: 'Issuers, their certificates and authorised license types.',
    tag: 'issuers',
    access: ADMINS,
    query: s.IssuerQuery,
    responses: { 200: { description: 'The issuers.', schema: s.IssuerList } },
  },
  {
    method: 'get',
    path: '/v1/me',
    operationId: 'getMe',
    summary: 'Who the caller is: org, role, region, issuer and authorised license types.',
    tag: 'account',
    access: 'signed-in',
    responses: { 200: { description: 'The caller.', schema: s.Me } },
  },
  {
    method: 'get',
    path: '/v1/license-types',
    operationId: 'listLicenseTypes',
    summary: 'All license types.',
    tag: 'account',
    access: 'signed-in',
    responses: { 200: { description: 'The types.', schema: s.LicenseTypeList } },
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    summary: 'Liveness, with ledger reachability.',
    tag: 'operations',
    access: 'public',
    responses: { 200: { description: 'Every check passed.' } },
    errors: [503],
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics.',
    tag: 'operations',
    access: 'public',
    responses: { 200: { description: 'Prometheus text format.', media: { 'text/plain': 'Prometheus exposition' } } },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    summary: 'This document.',
    tag: 'operations',
    access: 'public',
    responses: { 200: { description: 'OpenAPI 3.1 document.', media: { 'application/json': 'OpenAPI 3.1' } } },
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'apiDocs',
    summary: 'Interactive API documentation (served offline).',
    tag: 'operations',
    access: 'public',
    responses: { 200: { description: 'HTML page.', media: { 'text/html': 'HTML' } } },
  },
];

/**
 * Whether a request goes to a route that reads its own body (see RouteSpec.ndjsonItem; such routes have no path
 * parameters), so the server's JSON parser leaves the body alone.
 */
export function readsOwnBody(method: string, path: string): boolean {
  return ROUTES.some(
    (route) => route.ndjsonItem !== undefined && route.method === method.toLowerCase() && route.path === path,
  );
}
