// Validates every document of a Kubernetes manifest file against the Kubernetes OpenAPI schemas
// with npm kubernetes-models (offline), after parsing it with npm yaml. Prints one line per
// document ("ok Kind/name" or "invalid Kind/name: ...") and exits 1 if any is invalid.
// usage: node k8s_validate.mjs <node_modules dir> <manifest.yaml>
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs/promises';

const [modulesDir, file] = process.argv.slice(2);
const require = createRequire(path.join(modulesDir, 'noop.js'));
const YAML = require('yaml');

const docs = YAML.parseAllDocuments(await fs.readFile(file, 'utf8'));
let bad = 0;
for (const d of docs) {
  if (d.errors.length) {
    console.log(`invalid YAML: ${d.errors.map((e) => e.message).join('; ')}`);
    bad++;
    continue;
  }
  const obj = d.toJS();
  if (!obj) continue;
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : [null, obj.apiVersion];
  const modulePath = group ? `kubernetes-models/${group}/${version}/${obj.kind}` : `kubernetes-models/${version}/${obj.kind}`;
  const name = `${obj.kind}/${obj.metadata?.name}`;
  try {
    const mod = require(modulePath);
    const Model = mod[obj.kind] ?? mod.default;
    new Model(obj).validate();
    console.log(`ok ${name}`);
  } catch (e) {
    console.log(`invalid ${name}: ${e.message}`);
    bad++;
  }
}
process.exit(bad ? 1 : 0);
