import { CertHubError } from '@certhub/certs-service';

/** Why a QR payload was refused. */
export type QrPayloadFailure = 'PREFIX' | 'VERSION' | 'STRUCTURE' | 'LICENSE_ID' | 'DOC_HASH';

/** A string that is not a `certhub:1:<licenseId>:<docHash>` payload (or names an invalid license ID or hash). */
export class QrPayloadError extends CertHubError {
  readonly code = 'INVALID_QR_PAYLOAD';
  declare readonly context: Readonly<{ reason: QrPayloadFailure }>;

  constructor(reason: QrPayloadFailure, message: string, options?: { cause?: unknown }) {
    // The payload itself is not echoed: it is the client's input and may be long.
    super(message, { reason }, options);
  }
}
