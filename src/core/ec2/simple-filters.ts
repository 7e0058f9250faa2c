import type { Filter } from '@aws-sdk/client-ec2';
import { ec2Errors } from './errors.js';
import { wildcardToRegExp } from './wildcard.js';

/** Filters for the smaller describe calls: a table of name → values, wildcards allowed. */
export function compileFilters<T>(
  filters: readonly Filter[] | undefined,
  table: Record<string, (item: T) => readonly (string | undefined)[]>,
  dynamic?: (name: string) => ((item: T) => readonly (string | undefined)[]) | undefined,
): (item: T) => boolean {
  const tests = (filters ?? []).map((f) => {
    const name = f.Name;
    if (!name) throw ec2Errors.missingParameter('Filter.Name');
    // Own keys only: a filter named `constructor` or `__proto__` is an unknown filter, not Object.prototype's.
    const extract = (Object.hasOwn(table, name) ? table[name] : undefined) ?? dynamic?.(name);
    if (!extract) throw ec2Errors.invalidFilter(name);
    const patterns = (f.Values ?? []).map(wildcardToRegExp);
    return (item: T) => extract(item).some((v) => v !== undefined && patterns.some((p) => p.test(v)));
  });
  return (item) => tests.every((t) => t(item));
}
