import { nextToken, sns } from './sns.js';

/**
 * SNS mobile push over the query protocol: platform applications and their endpoints. Their
 * list answers carry an `Attributes` map per member (`<entry><key/><value/></entry>`), which
 * `members()` in sns.ts flattens; they are read here.
 */
export interface PushResource {
  arn: string;
  attributes: Record<string, string>;
}

/** The platforms CreatePlatformApplication takes. */
export const PLATFORMS = ['APNS', 'APNS_SANDBOX', 'GCM', 'ADM', 'BAIDU', 'MACOS', 'MACOS_SANDBOX', 'MPNS', 'WNS'] as const;

const entries = (attributes: Element | undefined): Record<string, string> =>
  Object.fromEntries(
    [...(attributes?.getElementsByTagNameNS('*', 'entry') ?? [])].map((e) => [
      e.getElementsByTagNameNS('*', 'key')[0]?.textContent ?? '',
      e.getElementsByTagNameNS('*', 'value')[0]?.textContent ?? '',
    ]),
  );

function resources(root: Element, list: string, arnField: string): PushResource[] {
  const container = root.getElementsByTagNameNS('*', list)[0];
  return [...(container?.children ?? [])]
    .filter((m) => m.localName === 'member')
    .map((m) => ({
      arn: m.getElementsByTagNameNS('*', arnField)[0]?.textContent ?? '',
      attributes: entries(m.getElementsByTagNameNS('*', 'Attributes')[0]),
    }));
}

export async function listApplications(token?: string): Promise<{ items: PushResource[]; next?: string }> {
  const root = await sns('ListPlatformApplications', token ? { NextToken: token } : {});
  const next = nextToken(root);
  return { items: resources(root, 'PlatformApplications', 'PlatformApplicationArn'), ...(next && { next }) };
}

export async function applicationAttributes(arn: string): Promise<Record<string, string>> {
  const root = await sns('GetPlatformApplicationAttributes', { PlatformApplicationArn: arn });
  return entries(root.getElementsByTagNameNS('*', 'Attributes')[0]);
}

export async function listEndpoints(application: string, token?: string): Promise<{ items: PushResource[]; next?: string }> {
  const root = await sns('ListEndpointsByPlatformApplication', { PlatformApplicationArn: application, ...(token && { NextToken: token }) });
  const next = nextToken(root);
  return { items: resources(root, 'Endpoints', 'EndpointArn'), ...(next && { next }) };
}

/** The query protocol's form of an attribute map: `Attributes.entry.N.key` / `.value`. */
export function attributeParams(attributes: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  Object.entries(attributes).forEach(([k, v], i) => {
    params[`Attributes.entry.${i + 1}.key`] = k;
    params[`Attributes.entry.${i + 1}.value`] = v;
  });
  return params;
}

/** `arn:aws:sns:R:A:app/PLATFORM/NAME` → PLATFORM and NAME; an endpoint's ARN → its application's ARN. */
export function applicationParts(arn: string): { platform: string; name: string } {
  const [, platform = '', ...name] = arn.slice(arn.indexOf(':app/') + 1).split('/');
  return { platform, name: name.join('/') };
}

export function applicationOfEndpoint(endpointArn: string): string {
  const at = endpointArn.indexOf(':endpoint/');
  const [platform, name] = endpointArn.slice(at + ':endpoint/'.length).split('/');
  return `${endpointArn.slice(0, at)}:app/${platform}/${name}`;
}
