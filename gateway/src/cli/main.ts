#!/usr/bin/env node
// The `certhub` command (the root package's bin). All behaviour lives in run.ts; this file only binds it to the process.
import { processIo } from './io';
import { runCli } from './run';

void runCli(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
