// fabric-shim ships no types for its contract dispatcher; this declares the part the embedded ledger drives.
declare module 'fabric-shim/lib/contract-spi/chaincodefromcontract' {
  import type { ChaincodeResponse } from 'fabric-shim-api';

  interface Serializers {
    transaction: string;
    serializers: Record<string, unknown>;
  }

  class ChaincodeFromContract {
    constructor(
      contractClasses: (new () => object)[],
      serializers: Serializers,
      metadata?: object,
      title?: string,
      version?: string,
    );
    Invoke(stub: object): Promise<ChaincodeResponse>;
  }

  export = ChaincodeFromContract;
}

declare module 'fabric-shim/lib/logger' {
  /** Sets the level of every fabric-shim logger in this process. */
  export function setLevel(level: string): void;
  /** The named (cached) winston logger. */
  export function getLogger(name: string): { silent: boolean };
}

declare module 'fabric-contract-api/lib/logger' {
  export function getLogger(name: string): { silent: boolean };
}
