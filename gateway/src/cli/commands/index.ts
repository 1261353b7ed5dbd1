import type { Command } from '../command';
import { caInitCommand, caIssueCommand, caVerifyCommand } from './ca';
import { sm2KeygenCommand, sm2PubCommand, sm2SignCommand, sm2VerifyCommand } from './sm2';
import { identitiesIssueCommand } from './identities';
import { importCommand } from './import';
import { ledgerVerifyCommand } from './ledger';
import {
  licenseCancelCommand,
  licenseGetCommand,
  licenseHistoryCommand,
  licenseIssueCommand,
  licenseReinstateCommand,
  licenseRevokeCommand,
  licenseSuspendCommand,
  licenseVerifyCommand,
} from './license';
import { sm3Command } from './sm3';
import { tokenHashCommand, tokenNewCommand } from './token';

/** Every leaf command of `certhub`, in the order `certhub --help` lists them. */
export const commands: readonly Command[] = [
  sm3Command,
  sm2KeygenCommand,
  sm2PubCommand,
  sm2SignCommand,
  sm2VerifyCommand,
  caInitCommand,
  caIssueCommand,
  caVerifyCommand,
  identitiesIssueCommand,
  tokenNewCommand,
  tokenHashCommand,
  ledgerVerifyCommand,
  licenseIssueCommand,
  licenseVerifyCommand,
  licenseGetCommand,
  licenseHistoryCommand,
  licenseSuspendCommand,
  licenseReinstateCommand,
  licenseRevokeCommand,
  licenseCancelCommand,
  importCommand,
];
