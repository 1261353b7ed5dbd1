import shimLogger from 'fabric-shim/lib/logger';
import contractLogger from 'fabric-contract-api/lib/logger';

/**
 * The in-process chaincode's logging. fabric-shim and fabric-contract-api log several debug lines per transaction
 * through winston, which formats every line (timestamp, metadata, util.inspect) before it filters by level: about a
 * quarter of an anchor's CPU time in a profile here. The embedded ledger returns every failure as a typed error, so
 * by default the per-transaction loggers are silenced; a level turns them back on for debugging.
 */
export type ChaincodeLogging = 'off' | 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

/** The loggers fabric-shim's dispatch path (ChaincodeFromContract, DataMarshall, ClientIdentity, Contract) writes to. */
const SHIM_LOGGERS = ['contracts-spi/chaincodefromcontract.js', 'contracts-spi/datamarshall.js', 'lib/chaincode.js'];
const CONTRACT_LOGGERS = ['./lib/contract.js', './lib/jsontransactionserializer.js'];

export function configureChaincodeLogging(logging: ChaincodeLogging): void {
  const silent = logging === 'off';
  if (!silent) shimLogger.setLevel(logging);
  for (const name of SHIM_LOGGERS) shimLogger.getLogger(name).silent = silent;
  for (const name of CONTRACT_LOGGERS) contractLogger.getLogger(name).silent = silent;
}
