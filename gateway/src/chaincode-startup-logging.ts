/*
 * Imported first by the gateway's entry points (main.ts, the CLI), before anything loads the chaincode's contract
 * classes. fabric-contract-api logs every @Info/@Transaction decorator at info level when those classes load, as
 * non-JSON lines on stdout (64 at start-up), and it reads its level from CORE_CHAINCODE_LOGGING_LEVEL when each logger
 * is made. Defaulting it to WARNING keeps the gateway's stdout to its own structured log; an operator who sets the
 * variable gets fabric's lines at the level asked for.
 */
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'WARNING';

export {};
