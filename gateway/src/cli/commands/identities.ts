import { ExitCode, flag, optionalFlag, type Command } from '../command';

export const identitiesIssueCommand: Command = {
  path: ['identities', 'issue'],
  summary:
    "Make a production gateway's Fabric identities without a Fabric CA server: a CA per organisation of the users file and an identity per user, plus the gateway's own.",
  details: [
    'Fills the --out folder with the layout CERTHUB_IDENTITIES_DIR expects:',
    '  organizations/<MSPID>/ca.pem, ca-key.pem   a Fabric CA (ECDSA P-256) per organisation, made if missing',
    '  users/<userId>/cert.pem, key.pem          an identity per user, CN = the user ID, with the Fabric CA',
    '                                            attributes its entry implies (role, region, issuer, enterprise,',
    '                                            authority); gateway-service and gateway-audit for the gateway',
    'Re-running keeps every CA and every identity that still fits its entry, issues the missing ones and re-issues',
    'those whose entry changed. Private keys are written with mode 600. Prints one line per CA and identity.',
    'Example: certhub identities issue --users /etc/certhub/users.json --out /etc/certhub/identities',
  ].join('\n'),
  flags: [
    { name: 'users', description: 'the users file (CERTHUB_USERS_FILE)', required: true },
    { name: 'out', description: 'the identities directory to fill (CERTHUB_IDENTITIES_DIR)', required: true },
    {
      name: 'service-msp',
      description: "organisation of the gateway's own identities (default: the hub admins' organisation)",
    },
    { name: 'json', description: 'print the report as JSON', boolean: true },
  ],
  async run(args, io) {
    // Loaded here, not at the top: the schema compiler and X.509 stack would slow every other certhub command.
    const { parseUsersFile } = await import('../../auth/users-file.js');
    const { issueIdentities } = await import('../../hub/issue-identities.js');
    const usersPath = flag(args, 'users');
    const users = parseUsersFile(Buffer.from(await io.readFile(usersPath)).toString('utf8'), usersPath);
    const serviceMspId = optionalFlag(args, 'service-msp');
    const report = await issueIdentities({
      dir: flag(args, 'out'),
      users: users.users,
      ...(serviceMspId === undefined ? {} : { serviceMspId }),
    });
    if (args.flags.has('json')) {
      io.stdout(`${JSON.stringify({ identities: report }, null, 2)}\n`);
    } else {
      const width = Math.max(...report.map((line) => line.action.length));
      for (const line of report) io.stdout(`${line.action.padEnd(width)}  ${line.id} (${line.mspId})  ${line.path}\n`);
    }
    return ExitCode.ok;
  },
};
