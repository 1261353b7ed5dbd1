import { readFile } from 'node:fs/promises';
import { Type, type Static } from '@sinclair/typebox';
import { MspId, Nullable, RegionCode, StringEnum, Text, Uscc } from '../schemas/common';
import { validationIssues } from '../schemas/validator';
import { UsersFileError } from './errors';
import { roleProblems, ROLES, type User } from './user';
import { UserDirectory, type UserEntry } from './user-directory';

/*
 * The production users file (CERTHUB_USERS_FILE): JSON `{"users": [ … ]}`, one entry per user with the SM3 hash of
 * its token (see token-hash.ts), never the token. Read once at start-up; any bad entry stops the gateway with an error
 * naming that entry, because starting with some users silently missing is worse than not starting.
 */

const UserFileEntry = Type.Object(
  {
    id: Type.String({
      pattern: '^[A-Za-z0-9._@-]{1,64}$',
      description: 'Enrollment ID of the user’s Fabric identity.',
    }),
    name: Text(200),
    org: MspId(),
    role: StringEnum(ROLES),
    region: Type.Optional(Nullable(RegionCode())),
    issuer: Type.Optional(Nullable(Type.Object({ code: Uscc(), name: Text(200) }, { additionalProperties: false }))),
    enterprise: Type.Optional(Nullable(Uscc())),
    authority: Type.Optional(Nullable(Type.Object({ code: Uscc(), name: Text(200) }, { additionalProperties: false }))),
    tokenHash: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SM3 of the bearer token, lower-case hex.' }),
  },
  { additionalProperties: false },
);
type UserFileEntry = Static<typeof UserFileEntry>;

const UsersFileShape = Type.Object(
  { users: Type.Array(Type.Unknown(), { minItems: 1 }) },
  { additionalProperties: false },
);

function describeEntry(raw: unknown, index: number): string {
  const id =
    typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? ` ("${raw.id}")` : '';
  return `users[${index}]${id}`;
}

function toEntry(raw: unknown, index: number, source: string): UserEntry {
  const issues = validationIssues(UserFileEntry, raw);
  if (issues.length > 0) {
    const problems = issues.map((i) => `${i.pointer === '' ? '(entry)' : i.pointer}: ${i.message}`);
    throw new UsersFileError(`${source}: ${describeEntry(raw, index)} is invalid: ${problems.join('; ')}`, {
      file: source,
      entry: index,
      problems,
    });
  }
  const entry = raw as UserFileEntry;
  const user: User = {
    id: entry.id,
    name: entry.name,
    org: entry.org,
    role: entry.role,
    region: entry.region ?? null,
    issuer: entry.issuer ?? null,
    enterprise: entry.enterprise ?? null,
    authority: entry.authority ?? null,
  };
  const problems = roleProblems(user);
  if (problems.length > 0) {
    throw new UsersFileError(`${source}: ${describeEntry(raw, index)} is inconsistent: ${problems.join('; ')}`, {
      file: source,
      entry: index,
      userId: user.id,
      problems,
    });
  }
  return { tokenHash: entry.tokenHash, user };
}

/**
 * Parses the text of a users file.
 * @param source the file name, for messages
 * @throws UsersFileError (CONFIG_INVALID) naming the file and the first bad entry
 */
export function parseUsersFile(text: string, source: string): UserDirectory {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsersFileError(`${source}: not valid JSON`, { file: source }, { cause: error });
  }
  const shape = validationIssues(UsersFileShape, parsed);
  if (shape.length > 0) {
    const problems = shape.map((i) => `${i.pointer === '' ? '(root)' : i.pointer}: ${i.message}`);
    throw new UsersFileError(`${source}: must be {"users": [ … ]}: ${problems.join('; ')}`, { file: source, problems });
  }
  const { users } = parsed as Static<typeof UsersFileShape>;
  return UserDirectory.fromEntries(
    users.map((raw, index) => toEntry(raw, index, source)),
    source,
  );
}

/** Reads and parses the users file at `path`. @throws UsersFileError */
export async function loadUsersFile(path: string): Promise<UserDirectory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsersFileError(`${path}: cannot read the users file`, { file: path }, { cause: error });
  }
  return parseUsersFile(text, path);
}
