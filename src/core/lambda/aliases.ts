import type {
  AliasConfiguration,
  AliasRoutingConfiguration,
  CreateAliasRequest,
  DeleteAliasRequest,
  GetAliasRequest,
  ListAliasesRequest,
  ListAliasesResponse,
  UpdateAliasRequest,
} from '@aws-sdk/client-lambda';
import type { AliasRecord, FunctionRecord, LambdaStore } from '../../storage/ports/lambda-store.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import { LambdaErrors } from '../generated/errors.js';
import { conflict, invalidParameter, notFound, preconditionFailed, validation } from './errors.js';
import { checkDescription } from './function-config.js';
import type { LambdaFunctions } from './lambda-service.js';
import { VERSION } from './qualifiers.js';

/** Alias names: 1–128 of letters, digits, `-`, `_`, not all digits (the API model's Alias pattern `(?!^[0-9]+$)([a-zA-Z0-9-_]+)`). */
const ALIAS = /^(?![0-9]+$)[a-zA-Z0-9_-]{1,128}$/;

function checkAliasName(name: string | undefined): string {
  if (name === undefined || !ALIAS.test(name)) {
    throw validation(
      `Value '${name ?? ''}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)`,
    );
  }
  return name;
}

export function aliasView(r: FunctionRecord, a: AliasRecord): AliasConfiguration {
  return {
    AliasArn: `${r.arn}:${a.name}`,
    Name: a.name,
    FunctionVersion: a.functionVersion,
    Description: a.description,
    ...(a.additionalVersionWeights && { RoutingConfig: { AdditionalVersionWeights: a.additionalVersionWeights } }),
    RevisionId: a.revisionId,
  };
}

/**
 * CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases. An alias names a version
 * (`$LATEST` or a published one) and, with RoutingConfig, sends a share of invocations to one
 * other published version. Aliases live in the function's record; invocations resolve them at
 * each call (qualifiers.ts).
 */
export class FunctionAliases {
  constructor(private readonly o: { functions: LambdaFunctions; store: LambdaStore; random: Random }) {}

  async createAlias(ctx: RequestContext, input: CreateAliasRequest): Promise<AliasConfiguration> {
    const name = checkAliasName(input.Name);
    return this.write(ctx, 'CreateAlias', input.FunctionName!, async (r) => {
      if (r.aliases?.[name]) throw conflict(`Alias already exists: ${r.arn}:${name}`);
      const alias: AliasRecord = {
        name,
        functionVersion: await this.checkVersion(r, input.FunctionVersion),
        description: checkDescription(input.Description),
        ...(await this.routing(r, input.RoutingConfig, input.FunctionVersion)),
        revisionId: this.o.random.uuid(),
      };
      return alias;
    });
  }

  async getAlias(ctx: RequestContext, input: GetAliasRequest): Promise<AliasConfiguration> {
    const r = await this.o.functions.record(ctx, input.FunctionName!, undefined, 'GetAlias');
    const name = checkAliasName(input.Name);
    const a = r.aliases?.[name];
    if (!a) throw aliasNotFound(r, name);
    return aliasView(r, a);
  }

  async updateAlias(ctx: RequestContext, input: UpdateAliasRequest): Promise<AliasConfiguration> {
    const name = checkAliasName(input.Name);
    return this.write(ctx, 'UpdateAlias', input.FunctionName!, async (r) => {
      const current = r.aliases?.[name];
      if (!current) throw aliasNotFound(r, name);
      if (input.RevisionId !== undefined && input.RevisionId !== current.revisionId) {
        throw preconditionFailed(
          'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
        );
      }
      const version = input.FunctionVersion !== undefined ? await this.checkVersion(r, input.FunctionVersion) : current.functionVersion;
      const { additionalVersionWeights: _w, ...rest } = current;
      const routing =
        input.RoutingConfig !== undefined
          ? await this.routing(r, input.RoutingConfig, version)
          : current.additionalVersionWeights
            ? { additionalVersionWeights: current.additionalVersionWeights }
            : {};
      return {
        ...rest,
        functionVersion: version,
        ...(input.Description !== undefined && { description: checkDescription(input.Description) }),
        ...routing,
        revisionId: this.o.random.uuid(),
      };
    });
  }

  async deleteAlias(ctx: RequestContext, input: DeleteAliasRequest): Promise<void> {
    const name = checkAliasName(input.Name);
    await this.o.functions.modify(ctx, 'DeleteAlias', input.FunctionName!, (r) => {
      const { [name]: _gone, ...aliases } = r.aliases ?? {};
      const { [name]: _c, ...configs } = r.eventInvokeConfigs ?? {};
      const { [name]: _p, ...policies } = r.qualifierPolicies ?? {};
      return { ...r, aliases, eventInvokeConfigs: configs, qualifierPolicies: policies };
    });
  }

  async listAliases(ctx: RequestContext, input: ListAliasesRequest): Promise<ListAliasesResponse> {
    const r = await this.o.functions.record(ctx, input.FunctionName!, undefined, 'ListAliases');
    const max = input.MaxItems;
    if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 10_000)) {
      throw validation(
        `Value '${max}' at 'maxItems' failed to satisfy constraint: Member must have value ${max > 10_000 ? 'less than or equal to 10000' : 'greater than or equal to 1'}`,
      );
    }
    const all = Object.values(r.aliases ?? {})
      .filter((a) => input.FunctionVersion === undefined || a.functionVersion === input.FunctionVersion)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const from = input.Marker ? all.filter((a) => a.name > input.Marker!) : all;
    const limit = Math.min(max ?? 50, 50);
    const page = from.slice(0, limit);
    return { Aliases: page.map((a) => aliasView(r, a)), ...(from.length > limit && { NextMarker: page[page.length - 1]!.name }) };
  }

  /** A read-modify-write of one alias; the function's other writes wait. */
  private async write(
    ctx: RequestContext,
    action: string,
    fn: string,
    make: (r: FunctionRecord) => Promise<AliasRecord>,
  ): Promise<AliasConfiguration> {
    return this.o.functions.serialised(ctx, fn, async () => {
      const r = await this.o.functions.record(ctx, fn, undefined, action);
      const alias = await make(r);
      // serialised() holds the function's lock: modify() would wait for it, so write directly.
      const next = { ...r, aliases: { ...r.aliases, [alias.name]: alias }, revisionId: this.o.random.uuid() };
      if (!(await this.o.store.updateFunction(next))) throw notFound(r.arn);
      return aliasView(next, alias);
    });
  }

  /** `$LATEST` or a published version of the function. */
  private async checkVersion(r: FunctionRecord, version: string | undefined): Promise<string> {
    if (version === '$LATEST') return version;
    if (version === undefined || !VERSION.test(version)) {
      throw validation(
        `Value '${version ?? ''}' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)`,
      );
    }
    if (!(await this.o.store.getVersion(r.accountId, r.region, r.name, version))) throw notFound(`${r.arn}:${version}`);
    return version;
  }

  /**
   * RoutingConfig: at most one additional published version (Lambda: "You can point an alias to a
   * maximum of two Lambda function versions"), weight 0–1, not the primary one, and both
   * published (routing to or from `$LATEST` is refused, as on Lambda).
   */
  private async routing(
    r: FunctionRecord,
    config: AliasRoutingConfiguration | undefined,
    primary: string | undefined,
  ): Promise<{ additionalVersionWeights?: Record<string, number> }> {
    const weights = config?.AdditionalVersionWeights;
    if (!weights || Object.keys(weights).length === 0) return {};
    const entries = Object.entries(weights);
    if (entries.length > 1) throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
    const [version, weight] = entries[0]!;
    if (primary === '$LATEST' || version === '$LATEST')
      throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
    if (version === primary) throw invalidParameter(`Alias routing config cannot point to the alias's function version ${version}`);
    if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) {
      throw validation(
        `Value '${weight}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]`,
      );
    }
    await this.checkVersion(r, version);
    return { additionalVersionWeights: { [version]: weight } };
  }
}

const aliasNotFound = (r: FunctionRecord, name: string) => LambdaErrors.ResourceNotFoundException(`Alias not found: ${r.arn}:${name}`);
