import { CertHubError } from '@certhub/certs-service';

/**
 * The audit log cannot take entries: its newest entry does not open or parse, or the chain already anchors a later
 * entry than it holds (entries were lost). Detailed queries are refused (503) rather than served unlogged.
 */
export class AuditLogUnavailableError extends CertHubError {
  readonly code = 'AUDIT_LOG_UNAVAILABLE';
}
