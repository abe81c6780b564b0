// Checks rendered Kubernetes objects against the API's schemas, as packaged
// by kubernetes-models (pinned in deploy/package-lock.json), and rejects the
// keys those schemas do not define.
//
// The packaged validators ignore unknown keys: `readinesProbe: {...}` would
// pass, and the container would simply have no readiness probe. So each
// object is validated through a Proxy that records which keys the validator
// looked at. The validator reads every property its schema defines (to check
// it when present) and enumerates the keys of free-form maps such as labels;
// a key it never read is one the schema does not have.
'use strict';

function modelFor(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' ||
      !/^[a-z0-9.\-]*\/?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Za-z]+$/.test(kind)) {
    return null;
  }
  try {
    const module = require(`kubernetes-models/${apiVersion}/${kind}`);
    return module[kind] || null;
  } catch (e) {
    if (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return null;
    throw e;
  }
}

// Wraps `root` so that every key read, tested or enumerated is recorded in
// `seen` (object -> Set of keys).
function watched(root) {
  const seen = new WeakMap();
  const proxies = new WeakMap();
  const wrap = (value) => {
    if (value === null || typeof value !== 'object') return value;
    if (proxies.has(value)) return proxies.get(value);
    const keys = new Set();
    seen.set(value, keys);
    const note = (key) => { if (typeof key === 'string') keys.add(key); };
    const proxy = new Proxy(value, {
      get(target, key, receiver) { note(key); return wrap(Reflect.get(target, key, receiver)); },
      has(target, key) { note(key); return Reflect.has(target, key); },
      getOwnPropertyDescriptor(target, key) {
        note(key);
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
      ownKeys(target) {
        const all = Reflect.ownKeys(target);
        all.forEach(note);
        return all;
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  return { proxy: wrap(root), seen };
}

// Keys of `value` (and below) that the validator never read. An object the
// validator never entered is free-form (or sits under a key already reported).
function unreadKeys(value, seen, path, out) {
  if (value === null || typeof value !== 'object') return out;
  const keys = seen.get(value);
  if (keys === undefined) return out;
  if (Array.isArray(value)) {
    value.forEach((item, i) => unreadKeys(item, seen, `${path}[${i}]`, out));
    return out;
  }
  for (const key of Object.keys(value)) {
    const where = path === '' ? key : `${path}.${key}`;
    if (!keys.has(key)) {
      out.push(where);
    } else {
      unreadKeys(value[key], seen, where, out);
    }
  }
  return out;
}

// Problems of one object, as strings; none when it is valid.
function schemaProblems(object) {
  const Model = modelFor(object && object.apiVersion, object && object.kind);
  if (Model === null) {
    return [`no API schema for apiVersion ${JSON.stringify(object && object.apiVersion)} ` +
            `kind ${JSON.stringify(object && object.kind)}`];
  }
  const problems = [];
  const { proxy, seen } = watched(object);
  try {
    Model.prototype.validate.call(proxy);
  } catch (e) {
    const errors = Array.isArray(e.errors) ? e.errors : null;
    if (errors) {
      for (const err of errors) {
        const where = (err.instancePath || '').split('/').slice(1)
          .map((part, i) => (/^[0-9]+$/.test(part) ? `[${part}]` : (i === 0 ? part : `.${part}`)))
          .join('') || '(object)';
        problems.push(`schema: ${where}: ${err.message || err.keyword} ${JSON.stringify(err.params || {})}`);
      }
    } else {
      problems.push(`schema: ${e.message}`);
    }
  }
  for (const key of unreadKeys(object, seen, '', [])) {
    problems.push(`schema: ${key}: unknown key (not in the ${object.apiVersion} ${object.kind} schema)`);
  }
  return problems;
}

module.exports = { schemaProblems };
