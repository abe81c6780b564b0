// ctest deploy_policy_rejects: the checks must fail on broken manifests.
// Each case takes the production overlay's render, breaks one thing (a probe,
// a limit, the securityContext, a misspelled key, the drain timing, ...) and
// checks it: the case passes when the check names the problem. The first
// cases (marked cli) go the whole way, as CI would: the broken objects are
// written to a file and `validate.js --file` must exit 1; the others call the
// same check in-process, which keeps the test to a second or two. The unbroken
// render must pass both ways first, so a failure can only come from the break.
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const YAML = require('yaml');
const { renderOverlay } = require('./render.js');
const { check } = require('./validate.js');

const container = (objects, name) => objects.find((o) => o.kind === 'Deployment' &&
  o.metadata.name === name).spec.template.spec.containers[0];
const podSpec = (objects, name) => objects.find((o) => o.kind === 'Deployment' &&
  o.metadata.name === name).spec.template.spec;
const byName = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);

// [what is broken, how, text the failure must show, options]
// options.expect: check the production overlay's expectations too;
// options.cli: run validate.js on a file rather than in-process.
const CLI = { cli: true };
const EXPECT = { expect: true };
const CASES = [
  ['readiness probe removed', (o) => { delete container(o, 'extractor').readinessProbe; },
    'Deployment/extractor container extractor: has no readinessProbe', CLI],
  ['liveness probe removed', (o) => { delete container(o, 'segmenter').livenessProbe; },
    'Deployment/segmenter container segmenter: has no livenessProbe'],
  ['liveness probe on the readiness name', (o) => {
    delete container(o, 'extractor').livenessProbe.grpc.service;
  }, 'container extractor: livenessProbe must ask for the health name "liveness"'],
  ['liveness probe not gRPC', (o) => {
    container(o, 'aggregator').livenessProbe = { tcpSocket: { port: 50053 } };
  }, 'container aggregator: livenessProbe is not a native gRPC probe'],
  ['probe on the wrong port', (o) => { container(o, 'extractor').readinessProbe.grpc.port = 50051; },
    'container extractor: readinessProbe probes port 50051, which the container does not declare'],
  ['memory limit removed', (o) => { delete container(o, 'aggregator').resources.limits.memory; },
    'container aggregator: has no resources.limits.memory', CLI],
  ['limits removed', (o) => { delete container(o, 'segmenter').resources.limits; },
    'container segmenter: has no resources.limits.cpu'],
  ['cpu request removed', (o) => { delete container(o, 'extractor').resources.requests.cpu; },
    'container extractor: has no resources.requests.cpu'],
  ['securityContext removed', (o) => { delete container(o, 'segmenter').securityContext; },
    'container segmenter: has no securityContext', CLI],
  ['privilege escalation allowed', (o) => {
    container(o, 'extractor').securityContext.allowPrivilegeEscalation = true;
  }, 'container extractor: securityContext.allowPrivilegeEscalation is not false'],
  ['capabilities kept', (o) => { delete container(o, 'aggregator').securityContext.capabilities; },
    'container aggregator: securityContext.capabilities.drop does not hold ALL'],
  ['root filesystem writable', (o) => {
    container(o, 'segmenter').securityContext.readOnlyRootFilesystem = false;
  }, 'container segmenter: securityContext.readOnlyRootFilesystem is not true'],
  ['runAsNonRoot removed', (o) => {
    delete container(o, 'extractor').securityContext.runAsNonRoot;
    delete podSpec(o, 'extractor').securityContext.runAsNonRoot;
  }, 'container extractor: runAsNonRoot is not true'],
  ['readinessProbe misspelled', (o) => {
    const c = container(o, 'segmenter');
    c.readinesProbe = c.readinessProbe;
    delete c.readinessProbe;
  }, 'containers[0].readinesProbe: unknown key', CLI],
  ['securityContext key misspelled', (o) => {
    const sc = container(o, 'aggregator').securityContext;
    sc.readOnlyRootFileSystem = true;
    delete sc.readOnlyRootFilesystem;
  }, 'securityContext.readOnlyRootFileSystem: unknown key'],
  ['limits misspelled', (o) => {
    const r = container(o, 'extractor').resources;
    r.limit = r.limits;
    delete r.limits;
  }, 'resources.limit: unknown key'],
  ['preStop removed', (o) => { delete container(o, 'extractor').lifecycle; },
    'container extractor: has no lifecycle.preStop'],
  ['grace period shorter than the drain', (o) => { podSpec(o, 'aggregator').terminationGracePeriodSeconds = 10; },
    'terminationGracePeriodSeconds 10 is shorter than preStop 5 s + --grace_seconds 10 s'],
  ['drain time left implicit', (o) => {
    const c = container(o, 'segmenter');
    c.args = c.args.filter((a) => !a.startsWith('--grace_seconds'));
  }, 'container segmenter: sets no --grace_seconds'],
  ['pattern packs not from a ConfigMap', (o) => {
    podSpec(o, 'extractor').volumes.find((v) => v.name === 'packs').configMap = undefined;
    podSpec(o, 'extractor').volumes.find((v) => v.name === 'packs').emptyDir = {};
  }, '/etc/reportpipe/config/packs is not mounted from a ConfigMap'],
  ['a field of the wrong type', (o) => { container(o, 'segmenter').ports[0].containerPort = 'grpc'; },
    'containerPort: must be integer'],
  ['an unknown kind', (o) => { o.push({ apiVersion: 'v1', kind: 'Servce', metadata: { name: 'x' } }); },
    'no API schema for apiVersion "v1" kind "Servce"'],
  ['extractor open to every pod', (o) => {
    byName(o, 'NetworkPolicy', 'extractor-ingress').spec.ingress[0].from = [{ namespaceSelector: {} }];
  }, 'lets more than the segmenter into the extractor', EXPECT],
  ['aggregator open to every pod', (o) => {
    byName(o, 'NetworkPolicy', 'aggregator-ingress').spec.ingress[0].from.push({ podSelector: {} });
  }, 'lets more than the extractor and query callers', EXPECT],
  ['store URL in the arguments', (o) => {
    container(o, 'aggregator').args.push('--store=postgresql://u:p@db/reportpipe');
  }, "the aggregator's --store is in its arguments", EXPECT],
  ['autoscaler removed', (o) => {
    o.splice(o.findIndex((x) => x.kind === 'HorizontalPodAutoscaler' && x.metadata.name === 'extractor'), 1);
  }, 'no HorizontalPodAutoscaler for extractor', EXPECT],
];

function inProcess(objects, expect) {
  const { problems } = check(objects, expect ? 'production' : null);
  return { status: problems.length ? 1 : 0, output: problems.join('\n') };
}

function runValidate(objects, dir, name, expect) {
  const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
  fs.writeFileSync(file, objects.map((o) => YAML.stringify(o)).join('---\n'));
  const args = [path.join(__dirname, 'validate.js'), '--file', file];
  if (expect) args.push('--expect', 'production');
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function main() {
  const rendered = renderOverlay('production').objects;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reportpipe-policy-'));
  let passed = 0;
  let failed = 0;
  try {
    for (const control of [runValidate(rendered, dir, 'unbroken', true), inProcess(rendered, true)]) {
      if (control.status !== 0) {
        console.log(`FAIL the unbroken production render does not pass:\n${control.output}`);
        return 1;
      }
    }
    console.log('ok   the unbroken production render passes');
    for (const [what, breakIt, wanted, options = {}] of CASES) {
      const objects = JSON.parse(JSON.stringify(rendered));
      breakIt(objects);
      const r = options.cli ? runValidate(objects, dir, what, options.expect)
        : inProcess(objects, options.expect);
      const line = r.output.split('\n').find((l) => l.includes(wanted));
      if (r.status === 1 && line) {
        passed++;
        console.log(`ok   ${what}${options.cli ? ' (validate.js --file)' : ''}: rejected:` +
                    line.replace(/^\s*/, ' '));
      } else {
        failed++;
        console.log(`FAIL ${what}: exit ${r.status}, wanted a line with "${wanted}"; output:\n${r.output}`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (e) {
    console.error(`policy-rejects: ${e.message}`);
    process.exitCode = 1;
  }
}
