import { bool, int, list, map, str, struct, type Shape } from '../json11/shapes.js';

/**
 * Member types of the Lambda inputs amiwatch reads from JSON bodies (botocore lambda/2015-03-31).
 * Only the types: Lambda checks values itself, in its own words (function-config.ts). A member of
 * the wrong JSON type — `"Timeout": "30"`, `"Description": 5`, `"Environment": []` — is refused
 * before the operation runs, as Lambda's deserializer refuses it, instead of being stored.
 */
const s = str();
const strings = list(s);
const stringMap = map(s, s);
const environment = struct({ Variables: stringMap });
const code = { ZipFile: s, S3Bucket: s, S3Key: s, S3ObjectVersion: s, ImageUri: s };

export const lambdaShapes = {
  CreateFunction: struct({
    FunctionName: s, Runtime: s, Role: s, Handler: s, Code: struct(code), Description: s, Timeout: int(), MemorySize: int(),
    Publish: bool, Environment: environment, Tags: stringMap, Architectures: strings, PackageType: s,
  }),
  UpdateFunctionConfiguration: struct({ Role: s, Handler: s, Description: s, Timeout: int(), MemorySize: int(), Environment: environment, Runtime: s, RevisionId: s }),
  UpdateFunctionCode: struct({ ...code, Publish: bool, DryRun: bool, RevisionId: s, Architectures: strings }),
  AddPermission: struct({
    StatementId: s, Action: s, Principal: s, SourceArn: s, SourceAccount: s, EventSourceToken: s, Qualifier: s, RevisionId: s,
    PrincipalOrgID: s, FunctionUrlAuthType: s,
  }),
} satisfies Record<string, Shape>;
