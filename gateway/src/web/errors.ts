import { CertHubError } from '@certhub/certs-service';

/** The web pages' static files are not where the router looks for them (a broken install or a moved build). */
export class WebAssetsMissingError extends CertHubError {
  readonly code = 'WEB_ASSETS_MISSING';
  declare readonly context: Readonly<{ directory: string; missing: string }>;

  constructor(directory: string, missing: string) {
    super(`web page asset ${missing} not found in ${directory}`, { directory, missing });
  }
}
