// ctest deploy_manifests: renders every overlay and checks each object
// against the Kubernetes API schemas (unknown keys included), every container
// against the policy (policy.js), and each overlay against what it is for
// (expectations.js). Exits 1 on any problem.
//
//   node validate.js                          every overlay under deploy/k8s/overlays
//   node validate.js --overlay production     one overlay
//   node validate.js --file F.yaml [--expect production]
//                                             objects from a file (the negative tests)
'use strict';

const fs = require('fs');
const path = require('path');
const { schemaProblems } = require('./schema.js');
const { policyProblems } = require('./policy.js');
const { expectationProblems } = require('./expectations.js');
const { renderOverlay, parseObjects, DEPLOY } = require('./render.js');

// Every problem of `objects`; with `expect`, also against that overlay's purpose.
function check(objects, expect) {
  const problems = [];
  for (const o of objects) {
    const name = `${o && o.kind}/${(o && o.metadata && o.metadata.name) || '?'}`;
    for (const p of schemaProblems(o)) problems.push(`${name}: ${p}`);
  }
  const policy = policyProblems(objects);
  problems.push(...policy.problems);
  if (expect) problems.push(...expectationProblems(expect, objects));
  if (objects.length === 0) problems.push('renders no objects');
  if (policy.containers === 0) problems.push('holds no containers');
  return { problems, containers: policy.containers };
}

function main(argv) {
  const args = { overlays: [], file: null, expect: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--overlay') args.overlays.push(argv[++i]);
    else if (argv[i] === '--file') args.file = argv[++i];
    else if (argv[i] === '--expect') args.expect = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const runs = [];
  if (args.file) {
    runs.push({ name: args.file, objects: parseObjects(fs.readFileSync(args.file, 'utf8'), args.file),
                expect: args.expect });
  } else {
    const overlays = args.overlays.length ? args.overlays
      : fs.readdirSync(path.join(DEPLOY, 'k8s', 'overlays')).sort();
    for (const overlay of overlays) {
      runs.push({ name: `overlay ${overlay}`, objects: renderOverlay(overlay).objects, expect: overlay });
    }
  }
  let failed = 0;
  for (const run of runs) {
    const { problems, containers } = check(run.objects, run.expect);
    if (problems.length) {
      failed++;
      console.log(`FAIL ${run.name}: ${problems.length} problem(s)`);
      for (const p of problems) console.log(`  ${p}`);
    } else {
      const kinds = {};
      run.objects.forEach((o) => { kinds[o.kind] = (kinds[o.kind] || 0) + 1; });
      console.log(`ok   ${run.name}: ${run.objects.length} objects (` +
        Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ') +
        `), ${containers} containers: schema, unknown keys, policy` +
        (run.expect ? `, ${run.expect} expectations` : ''));
    }
  }
  return failed === 0 ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`validate: ${e.message}`);
    process.exitCode = 1;
  }
}

module.exports = { check };
