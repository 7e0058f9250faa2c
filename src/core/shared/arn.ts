/** Amazon Resource Names: `arn:partition:service:region:account:resource`. */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function formatArn(a: Omit<Arn, 'partition'> & { partition?: string }): string {
  return `arn:${a.partition ?? 'aws'}:${a.service}:${a.region}:${a.account}:${a.resource}`;
}

/** Parses an ARN, or returns null when the text is not one. The resource part may contain ':'. */
export function parseArn(text: string): Arn | null {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  const [, partition, service, region, account, ...rest] = parts as [string, string, string, string, string, ...string[]];
  if (!partition || !service) return null;
  return { partition, service, region, account, resource: rest.join(':') };
}
