// What each overlay is for, checked on its render: the chain's wiring, the
// Services, the NetworkPolicies, and per overlay the replicas, the store,
// autoscalers and disruption budgets (see deploy/README.md).
'use strict';

const path = require('path');
const { flag } = require('./policy.js');

const PORT = { segmenter: 50051, extractor: 50052, aggregator: 50053 };
const COMPONENTS = Object.keys(PORT);
const QUERY_LABEL = 'reportpipe/query-client';

function find(objects, kind, name) {
  return objects.find((o) => o.kind === kind && o.metadata && o.metadata.name === name);
}

function podLabels(deployment) {
  return (deployment && deployment.spec.template.metadata && deployment.spec.template.metadata.labels) || {};
}

// Whether a matchLabels selector (no matchExpressions) selects `labels`.
function selects(selector, labels) {
  if (!selector) return false;
  if (selector.matchExpressions && selector.matchExpressions.length) return false;
  const want = selector.matchLabels || {};
  return Object.entries(want).every(([k, v]) => labels[k] === v);
}

function onlySelects(selector, component, deployments) {
  return COMPONENTS.every((other) =>
    selects(selector, podLabels(deployments[other])) === (other === component));
}

function common(objects, out) {
  const deployments = {};
  for (const name of COMPONENTS) {
    const d = find(objects, 'Deployment', name);
    if (!d) {
      out.push(`no Deployment ${name}`);
      continue;
    }
    deployments[name] = d;
    const c = d.spec.template.spec.containers[0];
    if (!c || (c.command || [])[0] !== `${name}_server`) {
      out.push(`Deployment ${name} does not run ${name}_server`);
    }
  }
  if (Object.keys(deployments).length !== COMPONENTS.length) return deployments;

  const images = new Set(COMPONENTS.map((n) => deployments[n].spec.template.spec.containers[0].image));
  if (images.size !== 1) out.push(`the three servers run different images: ${[...images].join(', ')}`);

  // The chain: each stage dials the next one's headless Service.
  for (const [from, to, arg] of [['segmenter', 'extractor', 'extractor'],
                                 ['extractor', 'aggregator', 'aggregator']]) {
    const target = flag(deployments[from].spec.template.spec.containers[0].args, arg);
    const want = `dns:///${to}-headless:${PORT[to]}`;
    if (target !== want) out.push(`${from} --${arg} is ${target}, not ${want}`);
    const svc = find(objects, 'Service', `${to}-headless`);
    if (!svc) {
      out.push(`no Service ${to}-headless`);
    } else {
      if (svc.spec.clusterIP !== 'None') out.push(`Service ${to}-headless is not headless`);
      if (!onlySelects({ matchLabels: svc.spec.selector }, to, deployments)) {
        out.push(`Service ${to}-headless does not select the ${to} pods alone`);
      }
      if (!(svc.spec.ports || []).some((p) => p.port === PORT[to])) {
        out.push(`Service ${to}-headless has no port ${PORT[to]}`);
      }
    }
  }
  // Callers: ClusterIP Services for the entry and for queries.
  for (const name of ['segmenter', 'aggregator']) {
    const svc = find(objects, 'Service', name);
    if (!svc) {
      out.push(`no Service ${name} for callers`);
      continue;
    }
    if ((svc.spec.type || 'ClusterIP') !== 'ClusterIP' || svc.spec.clusterIP === 'None') {
      out.push(`Service ${name} is not a ClusterIP Service`);
    }
    if (!onlySelects({ matchLabels: svc.spec.selector }, name, deployments)) {
      out.push(`Service ${name} does not select the ${name} pods alone`);
    }
    if (!(svc.spec.ports || []).some((p) => p.port === PORT[name])) {
      out.push(`Service ${name} has no port ${PORT[name]}`);
    }
  }
  networkPolicies(objects, deployments, out);
  return deployments;
}

function networkPolicies(objects, deployments, out) {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const ingress = (p) => !p.spec.policyTypes || p.spec.policyTypes.includes('Ingress');
  const denyAll = policies.some((p) => ingress(p) &&
    Object.keys(p.spec.podSelector || {}).length === 0 && !(p.spec.ingress || []).length);
  if (!denyAll) out.push('no NetworkPolicy denies ingress to every pod by default');

  // Every peer allowed into a component's pods, over all the policies that select them.
  const peersOf = (component) => {
    const peers = [];
    for (const p of policies) {
      if (!ingress(p) || !selects(p.spec.podSelector, podLabels(deployments[component]))) continue;
      for (const rule of p.spec.ingress || []) {
        if (!rule.from || rule.from.length === 0) {
          peers.push({ open: true, policy: p.metadata.name });
        } else {
          rule.from.forEach((peer) => peers.push({ ...peer, policy: p.metadata.name }));
        }
      }
    }
    return peers;
  };
  const sameNamespacePodsOf = (peer, component) => !peer.open && !peer.ipBlock &&
    !peer.namespaceSelector && peer.podSelector && onlySelects(peer.podSelector, component, deployments);
  const queryCallers = (peer) => !peer.open && !peer.ipBlock && peer.podSelector &&
    !(peer.podSelector.matchExpressions || []).length &&
    JSON.stringify(peer.podSelector.matchLabels || {}) === JSON.stringify({ [QUERY_LABEL]: 'true' });

  const extractorPeers = peersOf('extractor');
  if (extractorPeers.length === 0) out.push('nothing may reach the extractor');
  for (const peer of extractorPeers) {
    if (!sameNamespacePodsOf(peer, 'segmenter')) {
      out.push(`NetworkPolicy ${peer.policy} lets more than the segmenter into the extractor`);
    }
  }
  const aggregatorPeers = peersOf('aggregator');
  for (const peer of aggregatorPeers) {
    if (!sameNamespacePodsOf(peer, 'extractor') && !queryCallers(peer)) {
      out.push(`NetworkPolicy ${peer.policy} lets more than the extractor and query callers ` +
               `(${QUERY_LABEL}: "true") into the aggregator`);
    }
  }
  if (!aggregatorPeers.some((p) => sameNamespacePodsOf(p, 'extractor'))) {
    out.push('the extractor may not reach the aggregator');
  }
  if (!aggregatorPeers.some(queryCallers)) out.push('query callers may not reach the aggregator');
  if (peersOf('segmenter').length === 0) out.push('nothing may reach the segmenter');
}

function local(objects, deployments, out) {
  for (const name of COMPONENTS) {
    if (deployments[name].spec.replicas !== 1) out.push(`local: ${name} has replicas ${deployments[name].spec.replicas}, not 1`);
  }
  const agg = deployments.aggregator;
  const pod = agg.spec.template.spec;
  const c = pod.containers[0];
  const store = flag(c.args, 'store');
  if (!store || !store.startsWith('/')) {
    out.push(`local: the aggregator's --store is ${store}, not an absolute SQLite path`);
    return;
  }
  const mount = (c.volumeMounts || []).find((m) => m.mountPath.replace(/\/+$/, '') === path.posix.dirname(store));
  const volume = mount && (pod.volumes || []).find((v) => v.name === mount.name);
  if (!volume || !volume.persistentVolumeClaim) {
    out.push(`local: ${path.posix.dirname(store)} (--store=${store}) is not a PersistentVolumeClaim mount`);
  } else if (!find(objects, 'PersistentVolumeClaim', volume.persistentVolumeClaim.claimName)) {
    out.push(`local: PersistentVolumeClaim ${volume.persistentVolumeClaim.claimName} is not rendered`);
  }
  if (!agg.spec.strategy || agg.spec.strategy.type !== 'Recreate') {
    out.push('local: the aggregator does not use the Recreate strategy (two pods would open one SQLite file)');
  }
}

function production(objects, deployments, out) {
  for (const name of ['segmenter', 'extractor']) {
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' &&
      o.spec.scaleTargetRef.kind === 'Deployment' && o.spec.scaleTargetRef.name === name);
    if (!hpa) {
      out.push(`production: no HorizontalPodAutoscaler for ${name}`);
    } else {
      if (!(hpa.spec.minReplicas >= 2)) out.push(`production: ${name}'s autoscaler allows fewer than 2 replicas`);
      if (!(hpa.spec.metrics || []).some((m) => m.type === 'Resource' && m.resource.name === 'cpu')) {
        out.push(`production: ${name}'s autoscaler does not scale on CPU`);
      }
    }
    const replicas = deployments[name].spec.replicas;
    if (replicas !== undefined && replicas < 2) out.push(`production: ${name} has replicas ${replicas}`);
  }
  for (const name of COMPONENTS) {
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget' &&
      onlySelects(o.spec.selector, name, deployments));
    if (!pdb) out.push(`production: no PodDisruptionBudget for ${name}`);
  }
  const agg = deployments.aggregator;
  if (!(agg.spec.replicas >= 2)) out.push(`production: the aggregator has replicas ${agg.spec.replicas}, not 2 or more`);
  const c = agg.spec.template.spec.containers[0];
  const fromenv = flag(c.args, 'fromenv');
  if (flag(c.args, 'store') !== undefined) out.push('production: the aggregator\'s --store is in its arguments');
  if (!fromenv || !fromenv.split(',').includes('store')) {
    out.push('production: the aggregator does not read --store from the environment (--fromenv=store)');
  }
  const env = (c.env || []).find((e) => e.name === 'FLAGS_store');
  if (!env || !env.valueFrom || !env.valueFrom.secretKeyRef || !env.valueFrom.secretKeyRef.name ||
      !env.valueFrom.secretKeyRef.key) {
    out.push('production: FLAGS_store does not come from a Secret');
  }
  if (objects.some((o) => o.kind === 'Secret')) out.push('production: the render holds a Secret');
  if (objects.some((o) => o.kind === 'PersistentVolumeClaim')) {
    out.push('production: the render holds a PersistentVolumeClaim (the store is PostgreSQL)');
  }
}

const OVERLAYS = { local, production };

function expectationProblems(overlay, objects) {
  if (!OVERLAYS[overlay]) return [`no expectations for overlay ${overlay}`];
  const out = [];
  const deployments = common(objects, out);
  if (Object.keys(deployments).length === COMPONENTS.length) OVERLAYS[overlay](objects, deployments, out);
  return out;
}

module.exports = { expectationProblems, OVERLAYS };
