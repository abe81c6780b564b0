// The rules every container of every workload must meet, whatever the overlay:
// - native gRPC liveness and readiness probes (grpc.health.v1) on a port the
//   container declares (for a reportpipe server: the port it --listen's on);
// - CPU and memory requests and limits;
// - a securityContext: runAsNonRoot, readOnlyRootFilesystem,
//   allowPrivilegeEscalation false, every capability dropped;
// - a preStop sleep, and a terminationGracePeriodSeconds at least that sleep
//   plus the server's --grace_seconds (which must be given explicitly);
// - for the servers that read config/: --config_dir, with what they read
//   there (packs/, catalog/) mounted from ConfigMaps that the render holds.
'use strict';

const podSpecOf = {
  Deployment: (o) => o.spec && o.spec.template && o.spec.template.spec,
  StatefulSet: (o) => o.spec && o.spec.template && o.spec.template.spec,
  DaemonSet: (o) => o.spec && o.spec.template && o.spec.template.spec,
  ReplicaSet: (o) => o.spec && o.spec.template && o.spec.template.spec,
  Job: (o) => o.spec && o.spec.template && o.spec.template.spec,
  CronJob: (o) => o.spec && o.spec.jobTemplate && o.spec.jobTemplate.spec &&
    o.spec.jobTemplate.spec.template && o.spec.jobTemplate.spec.template.spec,
  Pod: (o) => o.spec,
};

const SERVERS = ['segmenter_server', 'extractor_server', 'aggregator_server'];
// What each server reads under --config_dir.
const CONFIG_READ = { extractor_server: ['packs', 'catalog'], aggregator_server: ['catalog'] };

// The value of --name=value or --name value in `args`; undefined when absent.
function flag(args, name) {
  const list = Array.isArray(args) ? args.map(String) : [];
  for (let i = 0; i < list.length; i++) {
    if (list[i] === `--${name}` || list[i] === `-${name}`) return list[i + 1];
    for (const dash of ['--', '-']) {
      if (list[i].startsWith(`${dash}${name}=`)) return list[i].slice(dash.length + name.length + 1);
    }
  }
  return undefined;
}

function serverOf(container) {
  const command = (container.command || [])[0] || '';
  const name = command.split('/').pop();
  return SERVERS.includes(name) ? name : null;
}

// Seconds a preStop hook waits, when it is a plain sleep; null otherwise.
function preStopSeconds(preStop) {
  if (preStop.sleep && Number.isInteger(preStop.sleep.seconds)) return preStop.sleep.seconds;
  const command = preStop.exec && preStop.exec.command;
  if (Array.isArray(command) && command.length === 2 && /(^|\/)sleep$/.test(command[0]) &&
      /^[0-9]+$/.test(String(command[1]))) {
    return Number(command[1]);
  }
  return null;
}

function trimSlash(path) {
  return String(path || '').replace(/\/+$/, '');
}

function containerProblems(c, pod, objects, namespace) {
  const out = [];
  const ports = (c.ports || []).map((p) => p.containerPort);
  const server = serverOf(c);
  const args = c.args || [];

  let listenPort = null;
  if (server) {
    const listen = flag(args, 'listen');
    const m = listen && /:([0-9]+)$/.exec(listen);
    listenPort = m ? Number(m[1]) : null;
  }
  for (const kind of ['livenessProbe', 'readinessProbe']) {
    const probe = c[kind];
    if (!probe) {
      out.push(`has no ${kind}`);
    } else if (!probe.grpc) {
      out.push(`${kind} is not a native gRPC probe (grpc.health.v1)`);
    } else if (!ports.includes(probe.grpc.port)) {
      out.push(`${kind} probes port ${probe.grpc.port}, which the container does not declare`);
    } else if (listenPort !== null && probe.grpc.port !== listenPort) {
      out.push(`${kind} probes port ${probe.grpc.port}, but the server listens on ${listenPort}`);
    } else if (kind === 'livenessProbe' && probe.grpc.service !== 'liveness') {
      // Readiness follows the next stage; liveness must not, or an outage
      // downstream restarts every healthy stage above it.
      out.push('livenessProbe must ask for the health name "liveness"');
    } else if (kind === 'readinessProbe' && probe.grpc.service === 'liveness') {
      out.push('readinessProbe asks for "liveness", which stays SERVING when the chain is down');
    }
  }

  const resources = c.resources || {};
  for (const kind of ['requests', 'limits']) {
    for (const what of ['cpu', 'memory']) {
      if (!resources[kind] || resources[kind][what] === undefined) {
        out.push(`has no resources.${kind}.${what}`);
      }
    }
  }

  const sc = c.securityContext;
  if (!sc) {
    out.push('has no securityContext');
  } else {
    if (sc.readOnlyRootFilesystem !== true) out.push('securityContext.readOnlyRootFilesystem is not true');
    if (sc.allowPrivilegeEscalation !== false) out.push('securityContext.allowPrivilegeEscalation is not false');
    if (sc.privileged === true) out.push('securityContext.privileged is true');
    const drop = (sc.capabilities && sc.capabilities.drop) || [];
    if (!drop.includes('ALL')) out.push('securityContext.capabilities.drop does not hold ALL');
    const add = (sc.capabilities && sc.capabilities.add) || [];
    if (add.length > 0) out.push(`securityContext.capabilities.add gives ${add.join(', ')}`);
  }
  const podSc = pod.securityContext || {};
  const nonRoot = sc && sc.runAsNonRoot !== undefined ? sc.runAsNonRoot : podSc.runAsNonRoot;
  if (nonRoot !== true) out.push('runAsNonRoot is not true (container or pod securityContext)');
  const user = sc && sc.runAsUser !== undefined ? sc.runAsUser : podSc.runAsUser;
  if (user === 0) out.push('runs as user 0');

  const preStop = c.lifecycle && c.lifecycle.preStop;
  let sleep = 0;
  if (!preStop) {
    out.push('has no lifecycle.preStop');
  } else {
    const seconds = preStopSeconds(preStop);
    if (seconds === null) {
      out.push('lifecycle.preStop is not a plain sleep, so its length cannot be checked');
    } else {
      sleep = seconds;
    }
  }
  let grace = 0;
  if (server) {
    const value = flag(args, 'grace_seconds');
    if (value === undefined) {
      out.push('sets no --grace_seconds: the drain time must be explicit to match the grace period');
    } else if (!/^[0-9]+$/.test(value)) {
      out.push(`--grace_seconds=${value} is not a whole number of seconds`);
    } else {
      grace = Number(value);
    }
  }
  const period = pod.terminationGracePeriodSeconds;
  if (period === undefined) {
    out.push('its pod sets no terminationGracePeriodSeconds');
  } else if (period < sleep + grace) {
    out.push(`terminationGracePeriodSeconds ${period} is shorter than preStop ${sleep} s + ` +
             `--grace_seconds ${grace} s`);
  }

  if (server && CONFIG_READ[server]) {
    const dir = flag(args, 'config_dir');
    if (!dir) {
      out.push('sets no --config_dir');
    } else {
      const volumes = new Map((pod.volumes || []).map((v) => [v.name, v]));
      for (const sub of CONFIG_READ[server]) {
        const want = `${trimSlash(dir)}/${sub}`;
        const mount = (c.volumeMounts || []).find((m) => trimSlash(m.mountPath) === want);
        const volume = mount && volumes.get(mount.name);
        if (!mount) {
          out.push(`mounts nothing at ${want} (--config_dir=${dir})`);
        } else if (!volume || !volume.configMap) {
          out.push(`${want} is not mounted from a ConfigMap`);
        } else if (!objects.some((o) => o.kind === 'ConfigMap' && o.metadata &&
                                        o.metadata.name === volume.configMap.name &&
                                        (o.metadata.namespace || namespace) === namespace)) {
          out.push(`${want} mounts ConfigMap ${volume.configMap.name}, which the render does not hold`);
        }
      }
    }
  }
  if (!c.image) out.push('has no image');
  return out;
}

// Every problem of the workloads among `objects`, as "Kind/name container c: ...".
function policyProblems(objects) {
  const problems = [];
  let containers = 0;
  for (const o of objects) {
    const specOf = podSpecOf[o && o.kind];
    if (!specOf) continue;
    const where = `${o.kind}/${(o.metadata && o.metadata.name) || '?'}`;
    const pod = specOf(o);
    if (!pod || !Array.isArray(pod.containers) || pod.containers.length === 0) {
      problems.push(`${where}: has no containers`);
      continue;
    }
    const namespace = (o.metadata && o.metadata.namespace) || 'default';
    for (const c of pod.containers) {
      containers++;
      for (const p of containerProblems(c, pod, objects, namespace)) {
        problems.push(`${where} container ${c.name}: ${p}`);
      }
    }
    for (const c of pod.initContainers || []) {
      containers++;
      // Init containers run to completion: no probes or preStop, but the
      // same limits and securityContext.
      for (const p of containerProblems(c, pod, objects, namespace)) {
        if (/Probe|preStop|grace|terminationGrace/.test(p)) continue;
        problems.push(`${where} init container ${c.name}: ${p}`);
      }
    }
  }
  return { problems, containers };
}

module.exports = { policyProblems, flag, serverOf, podSpecOf };
