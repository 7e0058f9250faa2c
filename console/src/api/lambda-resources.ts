import { lambda } from './lambda.js';

/**
 * A function's other Lambda resources over REST-JSON: its event source mappings (triggers), its
 * published versions and its aliases. Shapes: the members the console reads.
 */
export interface EventSourceMapping {
  UUID: string;
  EventSourceArn?: string;
  FunctionArn?: string;
  State?: string;
  BatchSize?: number;
  MaximumBatchingWindowInSeconds?: number;
  LastProcessingResult?: string;
}

export interface FunctionVersion {
  Version: string;
  FunctionArn: string;
  Description?: string;
  LastModified?: string;
}

export interface FunctionAlias {
  Name: string;
  AliasArn: string;
  FunctionVersion: string;
  Description?: string;
}

const json = async <T>(res: Promise<Response>): Promise<T> => (await (await res).json()) as T;
const esm = (uuid = '') => `/2015-03-31/event-source-mappings/${uuid && encodeURIComponent(uuid)}`;
const fn = (name: string, rest: string) => `/2015-03-31/functions/${encodeURIComponent(name)}${rest}`;

/** Every item of a Marker-paged Lambda list (`key`: the answer's list member). */
async function allPages<T>(path: string, query: Record<string, string>, key: string): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const q = new URLSearchParams({ ...query, ...(marker && { Marker: marker }) });
    const page = await json<Record<string, unknown> & { NextMarker?: string }>(lambda('GET', `${path}?${q.toString()}`));
    out.push(...((page[key] as T[] | undefined) ?? []));
    marker = page.NextMarker;
  } while (marker);
  return out;
}

/** Every mapping of the function (ListEventSourceMappings). */
export const listMappings = (functionName: string) =>
  allPages<EventSourceMapping>(esm(), { FunctionName: functionName }, 'EventSourceMappings');

export const createMapping = (input: { FunctionName: string; EventSourceArn: string; BatchSize: number; Enabled: boolean }) =>
  json<EventSourceMapping>(lambda('POST', esm(), JSON.stringify(input)));

export const setMappingEnabled = (uuid: string, Enabled: boolean) =>
  json<EventSourceMapping>(lambda('PUT', esm(uuid), JSON.stringify({ Enabled })));

export const deleteMapping = (uuid: string) => json<EventSourceMapping>(lambda('DELETE', esm(uuid)));

/** Published versions, `$LATEST` included (ListVersionsByFunction). */
export const listVersions = (name: string) => allPages<FunctionVersion>(fn(name, '/versions'), {}, 'Versions');

export const publishVersion = (name: string, Description: string) =>
  json<FunctionVersion>(lambda('POST', fn(name, '/versions'), JSON.stringify(Description ? { Description } : {})));

export const listAliases = (name: string) => allPages<FunctionAlias>(fn(name, '/aliases'), {}, 'Aliases');
