// ctest deploy_image: deploy/docker/Dockerfile, checked without building it.
//
//   node image.js --bin PATH [--bin PATH]... [--dockerfile PATH]
//   (--bin: the binaries the image ships; --dockerfile: another file to check)
//
// - What it copies from the build context exists and is not .dockerignored.
// - The build stage is Debian 12 and runs only the scripts CI runs
//   (scripts/deps, scripts/build, the same ones scripts/test starts).
// - What the runtime stage copies from the build stage is a binary CMake
//   builds (one of --bin), from the build tree scripts/build writes.
// - Every shared library `ldd` reports for those binaries, built here on
//   Debian 12 like the build stage, comes from a package the runtime stage
//   installs, or from one of their dependencies, or from the base image's
//   essential packages (dpkg's records); the libraries they link directly come
//   from packages it names itself; and it names no package that none needs.
// - The runtime stage runs as a numeric, non-root user.
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const DEPLOY = path.resolve(__dirname, '..');
const ROOT = path.resolve(DEPLOY, '..');
const DOCKERFILE = path.join(DEPLOY, 'docker', 'Dockerfile');
const IGNORE = path.join(DEPLOY, 'docker', 'Dockerfile.dockerignore');

function run(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error(`${command} is not on PATH (deploy_image needs it)`);
    if (typeof e.stdout === 'string' && e.stdout !== '') return e.stdout; // dpkg -S: some paths unknown
    throw new Error(`${command} ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

// Instructions of a Dockerfile: continuation lines joined, comments dropped.
function parseDockerfile(text) {
  const instructions = [];
  let current = '';
  let startLine = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (current === '' && /^\s*(#.*)?$/.test(line)) return;
    if (current !== '' && /^\s*#/.test(line)) return;
    if (current === '') startLine = i + 1;
    if (/\\\s*$/.test(line)) {
      current += `${line.replace(/\\\s*$/, '')} `;
      return;
    }
    current += line;
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(current);
    if (m) instructions.push({ op: m[1].toUpperCase(), rest: m[2].trim(), line: startLine });
    current = '';
  });
  return instructions;
}

function stagesOf(instructions) {
  const stages = [];
  for (const ins of instructions) {
    if (ins.op === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.rest);
      stages.push({ image: m ? m[1] : ins.rest, name: m && m[2], instructions: [], env: {} });
    } else if (stages.length) {
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  return stages;
}

// COPY/ADD [--flags] SRC... DEST (shell or JSON form).
function copyArgs(rest) {
  const flags = {};
  let words;
  const body = rest.replace(/^((?:--\S+\s+)*)/, (all) => {
    all.trim().split(/\s+/).filter(Boolean).forEach((f) => {
      const [k, v] = f.replace(/^--/, '').split('=');
      flags[k] = v === undefined ? true : v;
    });
    return '';
  });
  if (body.trim().startsWith('[')) words = JSON.parse(body);
  else words = body.trim().split(/\s+/);
  return { flags, sources: words.slice(0, -1), dest: words[words.length - 1] };
}

function ignoredBy(patterns, relative) {
  const clean = relative.replace(/^\.\//, '').replace(/\/+$/, '');
  return patterns.some((p) => {
    const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*\//g, '(?:.*/)?').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}(?:/.*)?$`);
    return re.test(clean);
  });
}

// Package names from `apt-get install` in a RUN line.
function aptInstalled(rest) {
  const packages = [];
  for (const part of rest.split(/&&|;/)) {
    const words = part.trim().split(/\s+/);
    const apt = words.findIndex((w) => /(^|\/)apt(-get)?$/.test(w));
    const at = apt < 0 ? -1 : words.indexOf('install', apt + 1);
    if (at < 0) continue;
    for (const w of words.slice(at + 1)) if (!w.startsWith('-')) packages.push(w.replace(/[:=].*$/, ''));
  }
  return packages;
}

// dpkg's view of the installed packages: name -> { deps: [[alternative...]...], essential }.
function installedPackages() {
  const out = run('dpkg-query', ['-W', '-f', '${Package}\t${Essential}\t${Pre-Depends}\t${Depends}\n']);
  const packages = new Map();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [name, essential, pre, deps] = line.split('\t');
    const groups = `${pre}, ${deps}`.split(',').map((g) => g.trim()).filter(Boolean)
      .map((g) => g.split('|').map((alt) => alt.trim().split(/[\s(:]/)[0]).filter(Boolean));
    packages.set(name, { deps: groups, essential: essential === 'yes' });
  }
  return packages;
}

function closure(roots, packages) {
  const seen = new Set();
  const todo = [...roots];
  while (todo.length) {
    const name = todo.pop();
    if (seen.has(name)) continue;
    seen.add(name);
    const p = packages.get(name);
    if (!p) continue;
    for (const alternatives of p.deps) {
      // The alternative that is installed here is the one apt would take too.
      const pick = alternatives.find((a) => packages.has(a)) || alternatives[0];
      todo.push(pick);
    }
  }
  return seen;
}

function main(argv) {
  const bins = [];
  let dockerfile = DOCKERFILE;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--bin') bins.push(argv[++i]);
    else if (argv[i] === '--dockerfile') dockerfile = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (bins.length === 0) throw new Error('name the binaries the image ships with --bin');
  const problems = [];
  const notes = [];
  const instructions = parseDockerfile(fs.readFileSync(dockerfile, 'utf8'));
  const stages = stagesOf(instructions);
  const ignore = fs.existsSync(IGNORE)
    ? fs.readFileSync(IGNORE, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    : [];

  if (stages.length !== 2) problems.push(`Dockerfile has ${stages.length} stages, not build + runtime`);
  const build = stages[0];
  const runtime = stages[stages.length - 1];
  if (!build || !/^debian:(12|bookworm)\b/.test(build.image)) {
    problems.push(`the build stage is ${build && build.image}, not Debian 12 (what scripts/deps installs for)`);
  }
  if (!runtime || !/^debian:(12|bookworm)-slim$/.test(runtime.image)) {
    problems.push(`the runtime stage is ${runtime && runtime.image}, not debian:12-slim`);
  }
  const debianVersion = fs.existsSync('/etc/debian_version') ? fs.readFileSync('/etc/debian_version', 'utf8').trim() : '';
  if (!/^12\./.test(debianVersion)) {
    problems.push(`this machine is not Debian 12 (${debianVersion || 'no /etc/debian_version'}): ` +
                  'its binaries and dpkg records would not stand for the image\'s');
  }

  // Sources copied from the build context.
  for (const stage of stages) {
    for (const ins of stage.instructions.filter((x) => x.op === 'COPY' || x.op === 'ADD')) {
      const { flags, sources } = copyArgs(ins.rest);
      if (flags.from) continue;
      for (const src of sources) {
        if (src === '.' || src === './') continue;
        if (/[*?[]/.test(src)) {
          problems.push(`Dockerfile line ${ins.line}: ${src}: wildcards are not checked; name the path`);
        } else if (!fs.existsSync(path.join(ROOT, src))) {
          problems.push(`Dockerfile line ${ins.line}: copies ${src}, which the repository does not have`);
        } else if (ignoredBy(ignore, src)) {
          problems.push(`Dockerfile line ${ins.line}: copies ${src}, which Dockerfile.dockerignore leaves out`);
        }
      }
    }
  }

  // The build stage: only the repository's own scripts, the ones CI runs.
  const buildRuns = build ? build.instructions.filter((x) => x.op === 'RUN') : [];
  const scriptsRun = new Set();
  for (const ins of buildRuns) {
    for (const command of ins.rest.split(/&&|;/).map((c) => c.trim())) {
      const word = command.split(/\s+/)[0];
      if (/^(\.\/)?scripts\/[A-Za-z0-9_.-]+$/.test(word)) {
        const script = path.join(ROOT, word);
        if (!fs.existsSync(script)) problems.push(`Dockerfile line ${ins.line}: runs ${word}, which does not exist`);
        else if (!(fs.statSync(script).mode & 0o111)) problems.push(`Dockerfile line ${ins.line}: ${word} is not executable`);
        scriptsRun.add(word.replace(/^\.\//, ''));
      } else if (!/^rm -rf build$/.test(command)) {
        problems.push(`Dockerfile line ${ins.line}: the build stage runs "${command}", not a script CI runs`);
      }
    }
  }
  for (const script of ['scripts/deps', 'scripts/build']) {
    if (!scriptsRun.has(script)) problems.push(`the build stage does not run ${script}`);
  }
  const calls = (file, callee) => fs.readFileSync(path.join(ROOT, file), 'utf8').includes(callee);
  if (!calls('scripts/test', 'scripts/build')) problems.push('scripts/test no longer runs scripts/build');
  if (!calls('scripts/build', 'scripts/deps')) problems.push('scripts/build no longer runs scripts/deps');
  const deployOff = build && build.instructions.some((x) => x.op === 'ENV' && /REPORTPIPE_DEPS_DEPLOY=0\b/.test(x.rest));
  if (!deployOff) problems.push('the build stage does not set REPORTPIPE_DEPS_DEPLOY=0 (scripts/deps would want node)');

  // The runtime stage: binaries from the build tree, a non-root user.
  const shipped = new Set(bins.map((b) => path.basename(b)));
  const buildDir = build ? `${(build.instructions.filter((x) => x.op === 'WORKDIR').pop() || { rest: '/' }).rest.replace(/\/+$/, '')}/build/bin` : '';
  const copied = new Set();
  for (const ins of (runtime ? runtime.instructions : []).filter((x) => x.op === 'COPY')) {
    const { flags, sources } = copyArgs(ins.rest);
    if (!flags.from) continue;
    if (flags.from !== (build && build.name)) problems.push(`Dockerfile line ${ins.line}: copies from ${flags.from}, not the build stage`);
    for (const src of sources) {
      if (path.posix.dirname(src) !== buildDir || !shipped.has(path.posix.basename(src))) {
        problems.push(`Dockerfile line ${ins.line}: copies ${src}, which is not one of the binaries ` +
                      `CMake builds into ${buildDir} (${[...shipped].join(', ')})`);
      }
      copied.add(path.posix.basename(src));
    }
  }
  for (const name of shipped) if (!copied.has(name)) problems.push(`the runtime stage does not copy ${name}`);
  const user = runtime && runtime.instructions.filter((x) => x.op === 'USER').pop();
  if (!user) problems.push('the runtime stage sets no USER (it would run as root)');
  else if (!/^[1-9][0-9]*(:[1-9][0-9]*)?$/.test(user.rest)) {
    problems.push(`the runtime stage's USER ${user.rest} is not a numeric non-root uid (runAsNonRoot needs one)`);
  }

  // Libraries: which package each comes from.
  const runtimePackages = new Set();
  for (const ins of (runtime ? runtime.instructions : []).filter((x) => x.op === 'RUN')) {
    aptInstalled(ins.rest).forEach((p) => runtimePackages.add(p));
  }
  if (runtimePackages.size === 0) problems.push('the runtime stage installs no packages');
  const packages = installedPackages();
  for (const p of runtimePackages) {
    if (!packages.has(p)) problems.push(`the runtime stage installs ${p}, which is not a Debian 12 package installed here`);
  }
  const essential = [...packages].filter(([, p]) => p.essential).map(([name]) => name);
  const base = closure(essential, packages);
  const available = closure([...runtimePackages, ...essential], packages);

  const libs = new Map(); // path -> { direct: bool, of: Set(binary) }
  for (const bin of bins) {
    if (!fs.existsSync(bin)) {
      problems.push(`${bin} is not built (run scripts/build)`);
      continue;
    }
    const needed = new Set();
    for (const m of run('readelf', ['-d', bin]).matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)) needed.add(m[1]);
    for (const line of run('ldd', [bin]).split('\n')) {
      let m = /^\s*(\S+)\s+=>\s+(\S+)\s+\(0x/.exec(line);
      if (/=>\s+not found/.test(line)) {
        problems.push(`${path.basename(bin)}: ldd finds no ${line.trim().split(/\s+/)[0]}`);
        continue;
      }
      let soname;
      let file;
      if (m) {
        [, soname, file] = m;
      } else if ((m = /^\s*(\/\S+)\s+\(0x/.exec(line))) {
        file = m[1];
        soname = path.basename(file);
      } else {
        continue; // linux-vdso: the kernel's
      }
      const entry = libs.get(file) || { sonames: new Set(), direct: false, of: new Set() };
      entry.sonames.add(soname);
      entry.direct = entry.direct || needed.has(soname);
      entry.of.add(path.basename(bin));
      libs.set(file, entry);
    }
  }
  const owners = new Map();
  const paths = [...libs.keys()];
  const real = paths.map((p) => fs.realpathSync(p));
  const query = [...new Set([...paths, ...real])];
  if (query.length) {
    for (const line of run('dpkg-query', ['-S', ...query]).split('\n')) {
      const m = /^([^:,]+)(?::[^:]*)?(?:, [^:]+)*: (\/.*)$/.exec(line);
      if (m) owners.set(m[2], m[1]);
    }
  }
  const used = new Set();
  paths.forEach((file, i) => {
    const entry = libs.get(file);
    const pkg = owners.get(file) || owners.get(real[i]) ||
      owners.get(file.replace(/^\/usr\/lib\//, '/lib/')) || owners.get(file.replace(/^\/lib\//, '/usr/lib/'));
    const what = `${[...entry.sonames].join(', ')} (${[...entry.of].join(', ')})`;
    if (!pkg) {
      problems.push(`${what}: ${file} belongs to no Debian package`);
      return;
    }
    used.add(pkg);
    if (entry.direct && !runtimePackages.has(pkg) && !base.has(pkg)) {
      problems.push(`${what} is linked directly and comes from ${pkg}, which the runtime stage does not name`);
    } else if (!available.has(pkg)) {
      problems.push(`${what} comes from ${pkg}, which neither the runtime stage's packages nor the base image bring`);
    }
  });
  for (const p of runtimePackages) {
    if (!used.has(p)) problems.push(`the runtime stage installs ${p}, which none of the binaries loads`);
  }
  notes.push(`${bins.length} binaries load ${libs.size} libraries from ${used.size} packages; ` +
             `the runtime stage names ${runtimePackages.size}: ${[...runtimePackages].sort().join(' ')}`);

  if (problems.length) {
    for (const p of problems) console.log(`FAIL ${p}`);
    return 1;
  }
  for (const n of notes) console.log(`ok   ${n}`);
  console.log('ok   the Dockerfile copies only what exists, builds with scripts/deps and scripts/build, ' +
              `runs as ${user.rest}`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`image: ${e.message}`);
    process.exitCode = 1;
  }
}
