#!/usr/bin/env node
// Copies from botocore's service models (botocore/data/<service>/<version>/service-2.json.gz,
// Apache-2.0) the facts amiwatch's wire layer is generated from: for every operation that
// models/operations.json lists (served and planned), its HTTP binding, input, output and errors,
// and every shape they reach — documentation removed. The result, models/<service>.json, is
// committed: the build and CI read it and never need botocore (docs/decisions/aws-models-from-botocore.md).
//
//   node scripts/import-aws-models.mjs [--botocore DIR]
// DIR defaults to the botocore package of `python3` (pip install botocore==<version>).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const DROPPED = new Set(['documentation', 'documentationUrl', 'deprecatedMessage', 'examples', 'endpointdiscovery', 'endpointoperation']);

function botocoreDir() {
  const flag = process.argv.indexOf('--botocore');
  if (flag > 0) return process.argv[flag + 1];
  const code = 'import botocore,os;print(os.path.dirname(botocore.__file__))';
  return execFileSync('python3', ['-c', code], { encoding: 'utf8' }).trim();
}

function botocoreVersion(dir) {
  const init = readFileSync(join(dir, '__init__.py'), 'utf8');
  const match = /__version__ = '([^']+)'/.exec(init);
  if (!match) throw new Error(`no __version__ in ${dir}/__init__.py`);
  return match[1];
}

/** A copy of `value` without documentation keys, objects' keys sorted (stable diffs). */
function facts(value) {
  if (Array.isArray(value)) return value.map(facts);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const key of Object.keys(value).sort()) if (!DROPPED.has(key)) out[key] = facts(value[key]);
  return out;
}

function reachable(shapes, names) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    const shape = shapes[name];
    if (!shape) throw new Error(`shape ${name} is not in the model`);
    seen.add(name);
    for (const member of Object.values(shape.members ?? {})) visit(member.shape);
    for (const part of ['member', 'key', 'value']) if (shape[part]) visit(shape[part].shape);
  };
  names.forEach(visit);
  return [...seen].sort();
}

function extract(model, operationNames, service) {
  const operations = {};
  const roots = [];
  for (const name of [...operationNames].sort()) {
    const op = model.operations[name];
    if (!op) throw new Error(`${service}: operation ${name} is not in the model`);
    operations[name] = facts(op);
    if (op.input) roots.push(op.input.shape);
    if (op.output) roots.push(op.output.shape);
    for (const e of op.errors ?? []) roots.push(e.shape);
  }
  const shapes = {};
  for (const name of reachable(model.shapes, roots)) shapes[name] = facts(model.shapes[name]);
  return { metadata: facts(model.metadata), operations, shapes };
}

const dir = botocoreDir();
const version = botocoreVersion(dir);
const list = JSON.parse(readFileSync(join(root, 'models/operations.json'), 'utf8'));
for (const [service, entry] of Object.entries(list)) {
  if (service.startsWith('$')) continue;
  const file = join(dir, 'data', entry.model, 'service-2.json.gz');
  const model = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  const out = {
    source: {
      from: `botocore ${version}, botocore/data/${entry.model}/service-2.json.gz`,
      license: 'Apache-2.0 (see models/NOTICE.md); documentation strings removed, shapes limited to the listed operations',
    },
    ...extract(model, [...entry.serves, ...entry.planned], service),
  };
  writeFileSync(join(root, 'models', `${service}.json`), `${JSON.stringify(out, null, 1)}\n`);
  console.log(`models/${service}.json: ${Object.keys(out.operations).length} operations, ${Object.keys(out.shapes).length} shapes`);
}
