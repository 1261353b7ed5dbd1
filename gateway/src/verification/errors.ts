import { CertHubError } from '@certhub/certs-service';

/** A step read a fact an earlier step should have set: the step list is declared wrongly (a bug, not an input). */
export class VerificationOrderError extends CertHubError {
  readonly code = 'VERIFICATION_ORDER';
}
