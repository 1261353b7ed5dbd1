import { CertHubError } from '@certhub/certs-service';

/** The development seed found its own saved state unusable (a wrong master key, a damaged file). */
export class SeedError extends CertHubError {
  readonly code = 'SEED_INVALID';
}
