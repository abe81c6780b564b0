// ctest deploy_config_in_sync: the ConfigMaps that the base renders hold the
// repository's config/ exactly: one ConfigMap reportpipe-<folder> per folder
// of config/, one key per file, byte for byte. kustomize cannot read config/
// itself (it is outside the kustomization's folder), so deploy/sync-config
// keeps copies under deploy/k8s/base/config/; this test catches a copy left
// behind after config/ changed.
'use strict';

const fs = require('fs');
const path = require('path');
const { renderDir, DEPLOY } = require('./render.js');

const CONFIG = path.resolve(DEPLOY, '..', 'config');

function main() {
  const objects = renderDir(path.join(DEPLOY, 'k8s', 'base')).objects;
  const maps = objects.filter((o) => o.kind === 'ConfigMap');
  const problems = [];
  const folders = fs.readdirSync(CONFIG, { withFileTypes: true })
    .filter((e) => e.isDirectory()).map((e) => e.name).sort();
  if (folders.length === 0) problems.push(`${CONFIG} has no folders`);
  let files = 0;
  for (const folder of folders) {
    // kustomize appends a hash of the content to a generated ConfigMap's name.
    const pattern = new RegExp(`^reportpipe-${folder.replace(/[^a-z0-9]/gi, '\\$&')}-[a-z0-9]{10}$`);
    const map = maps.find((m) => pattern.test(m.metadata.name));
    if (!map) {
      problems.push(`no ConfigMap reportpipe-${folder} for config/${folder}/`);
      continue;
    }
    const held = new Map();
    for (const [key, value] of Object.entries(map.data || {})) held.set(key, Buffer.from(value, 'utf8'));
    for (const [key, value] of Object.entries(map.binaryData || {})) held.set(key, Buffer.from(value, 'base64'));
    const names = fs.readdirSync(path.join(CONFIG, folder)).sort();
    for (const name of names) {
      files++;
      const want = fs.readFileSync(path.join(CONFIG, folder, name));
      if (!held.has(name)) {
        problems.push(`config/${folder}/${name} is not in ConfigMap ${map.metadata.name}`);
      } else if (!held.get(name).equals(want)) {
        problems.push(`config/${folder}/${name} differs from its copy in ConfigMap ${map.metadata.name}`);
      }
      held.delete(name);
    }
    for (const name of held.keys()) {
      problems.push(`ConfigMap ${map.metadata.name} holds ${name}, which config/${folder}/ does not`);
    }
  }
  for (const map of maps) {
    if (!folders.some((f) => map.metadata.name.startsWith(`reportpipe-${f}-`))) {
      problems.push(`ConfigMap ${map.metadata.name} matches no folder of config/`);
    }
  }
  if (problems.length) {
    for (const p of problems) console.log(`FAIL ${p}`);
    console.log('deploy/k8s/base/config/ is out of date: run deploy/sync-config and commit what it changes');
    return 1;
  }
  console.log(`ok   ${maps.length} ConfigMaps hold config/'s ${folders.length} folders and ${files} files exactly`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (e) {
    console.error(`config-in-sync: ${e.message}`);
    process.exitCode = 1;
  }
}
