/** A platform application's page (its ARN, encoded: it has slashes). */
export const applicationHref = (arn: string): string => `#/push-app/${encodeURIComponent(arn)}`;
