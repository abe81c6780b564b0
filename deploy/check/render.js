// Renders an overlay with `kubectl kustomize` (no cluster needed) and parses
// the YAML it prints.
'use strict';

const { execFileSync } = require('child_process');
const path = require('path');
const YAML = require('yaml');

const DEPLOY = path.resolve(__dirname, '..');

function parseObjects(text, source) {
  const objects = [];
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`${source}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

function renderOverlay(overlay) {
  return renderDir(path.join(DEPLOY, 'k8s', 'overlays', overlay));
}

function renderDir(dir) {
  let text;
  try {
    text = execFileSync('kubectl', ['kustomize', dir], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
    });
  } catch (e) {
    if (e.code === 'ENOENT') {
      throw new Error('kubectl is not on PATH: the deploy checks render the overlays with ' +
                      '`kubectl kustomize` (kubectl 1.27 or later)');
    }
    throw new Error(`kubectl kustomize ${dir} failed:\n${e.stderr || e.message}`);
  }
  return { text, objects: parseObjects(text, `kubectl kustomize ${dir}`) };
}

module.exports = { renderOverlay, renderDir, parseObjects, DEPLOY };
