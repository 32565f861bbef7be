#!/usr/bin/env node
/**
 * Installs native TensorFlow for tfjs from package registries only.
 *
 *   node infra/native-tensorflow.mjs [--gpu] [--check]
 *
 * @tensorflow/tfjs-node and -gpu download libtensorflow from the vendor's storage
 * in their install script, which fails offline (and on air-gapped clusters). The
 * same C library ships inside PyPI's TensorFlow wheels (shared/OFFLINE.md), so:
 *
 *  1. pip fetches the pinned wheel (tensorflow-cpu 2.16.2; with --gpu also the
 *     GPU-capable tensorflow 2.21.0 and the nvidia-* CUDA 12 wheels of its `and-cuda`
 *     extra, pinned in CUDA_WHEELS), and only the two shared libraries and the C API headers
 *     the binding includes are unpacked into a per-machine cache outside the
 *     checkout: ~/.cache/sweeplab/libtensorflow/<flavour>-<version> (SWEEP_CACHE_DIR).
 *  2. A tiny tarball of symlinks into that cache, laid out as the vendor's
 *     libtensorflow archive, is served on 127.0.0.1 while `npm install` runs with
 *     TFJS_NODE_BASE_URI pointing at it: the packages' own install scripts then
 *     "download" it, and build their addon from source against the system's Node
 *     headers (npm_config_nodedir). This is the packages' supported mirror
 *     mechanism, so any later `npm install` run through this script works too.
 *  3. Each package is loaded in a child process to check the TensorFlow version
 *     it reports; a package whose addon is missing (an npm that skipped its
 *     install script) is rebuilt with its own scripts/install.js.
 *
 * A bare `npm ci` re-extracts the packages and their install script fails offline:
 * npm then drops them (optional dependencies), trials run on wasm, the postinstall
 * step says so, and rerunning this script (or infra/setup.sh) puts them back in
 * seconds from the cache.
 *
 * Without pip, python3 or a C++ compiler it says what is missing, still runs
 * `npm install`, and exits 0: the product works on the wasm backend.
 * --check only reports what is installed (exit 1 if the requested flavour is not);
 * --hint (package.json's postinstall) only warns when an npm install dropped it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The pinned wheels. CPU: 2.16.2 passes the tfjs-core suite (2.17+ breaks tf.round on int32). */
export const FLAVOURS = {
  cpu: { pkg: '@tensorflow/tfjs-node', wheel: 'tensorflow-cpu', version: '2.16.2', cuda: false },
  gpu: { pkg: '@tensorflow/tfjs-node-gpu', wheel: 'tensorflow', version: '2.21.0', cuda: true },
};
/**
 * The CUDA 12 wheels tensorflow 2.21.0's `and-cuda` extra names, pinned to the newest
 * versions within its ranges that PyPI served on 2026-12-01 (the extra gives ranges, so
 * an unpinned fetch would change under us).
 */
export const CUDA_WHEELS = [
  'nvidia-cublas-cu12==12.9.3.13',
  'nvidia-cuda-cupti-cu12==12.8.90',
  'nvidia-cuda-nvcc-cu12==12.9.86',
  'nvidia-cuda-nvrtc-cu12==12.9.86',
  'nvidia-cuda-runtime-cu12==12.9.79',
  'nvidia-cudnn-cu12==9.28.0.42',
  'nvidia-cufft-cu12==11.4.1.4',
  'nvidia-curand-cu12==10.3.10.19',
  'nvidia-cusolver-cu12==11.7.5.82',
  'nvidia-cusparse-cu12==12.5.10.65',
  'nvidia-nccl-cu12==2.32.3',
  'nvidia-nvjitlink-cu12==12.9.86',
];
/** The file name the packages' install script asks for (deps-constants.js: LIBTENSORFLOW_VERSION 2.9.1). */
const ARCHIVE_VERSION = '2.9.1';
/** Any CPython tag works (the libraries do not link libpython); pinned so every host fetches the same file. */
const WHEEL_PYTHON = '3.11';
const WHEEL_PLATFORMS = ['manylinux2014_x86_64', 'manylinux_2_17_x86_64', 'manylinux_2_27_x86_64', 'manylinux_2_28_x86_64'];
/** Header trees the binding's two C API headers reach (checked with g++ -M against 2.16 and 2.21). */
const HEADER_PREFIXES = ['tensorflow/c/', 'tsl/c/', 'xla/tsl/c/', 'tensorflow/core/platform/ctstring', 'tsl/platform/ctstring', 'xla/tsl/platform/ctstring'];

const say = (message) => console.log(`native-tensorflow: ${message}`);

export function cacheRoot(env = process.env) {
  return env.SWEEP_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'sweeplab');
}

export function libraryDir(flavour, env = process.env) {
  const { version } = FLAVOURS[flavour];
  return join(cacheRoot(env), 'libtensorflow', `${flavour}-${version}`);
}

function run(command, args, options = {}) {
  return spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20, ...options });
}

function which(command) {
  return run('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** What blocks a native install on this host, or null. */
function missingTools() {
  const missing = [];
  if (!which('python3')) missing.push('python3');
  else if (run('python3', ['-m', 'pip', '--version']).status !== 0) missing.push('pip (python3 -m pip)');
  if (!which('g++') && !which('c++')) missing.push('a C++ compiler (g++)');
  if (!which('make')) missing.push('make');
  if (!nodeHeadersDir()) missing.push(`Node's C headers (include/node/node_api.h beside ${process.execPath}; Debian: nodejs-dev or libnode-dev)`);
  return missing.length ? missing : null;
}

/** node-gyp fetches Node headers from the internet unless told where they are. */
function nodeHeadersDir() {
  for (const prefix of [process.env.npm_config_nodedir, resolve(dirname(process.execPath), '..'), '/usr', '/usr/local']) {
    if (prefix && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  }
  return null;
}

function pipDownload(specs, dest) {
  const args = ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--python-version', WHEEL_PYTHON, '--implementation', 'cp', '-d', dest];
  for (const platform of WHEEL_PLATFORMS) args.push('--platform', platform);
  const result = run('python3', [...args, ...specs], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`pip download ${specs.join(' ')} failed (exit ${result.status})`);
}

/**
 * Unpacks what the binding needs from the wheels in `wheelDir` into `out`, and writes
 * the mirror archive of symlinks to it. Python's zipfile and tarfile do both (pip needs python3 anyway).
 */
const UNPACK_PY = String.raw`
import json, os, shutil, sys, tarfile, zipfile
spec = json.loads(sys.argv[1])
out, final = spec['out'], spec['final']
os.makedirs(out + '/lib'); os.makedirs(out + '/mirror')
main = zipfile.ZipFile(spec['mainWheel'])
for name in main.namelist():
    rel = name[len('tensorflow/include/'):] if name.startswith('tensorflow/include/') else None
    if rel is not None and name.endswith('.h') and rel.startswith(tuple(spec['headers'])):
        target = out + '/include/' + rel
    elif name in ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'):
        target = out + '/lib/' + os.path.basename(name)
    else:
        continue
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with main.open(name) as src, open(target, 'wb') as dst:
        shutil.copyfileobj(src, dst)
for lib in ('libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'):
    if not os.path.exists(out + '/lib/' + lib):
        sys.exit('wheel %s has no tensorflow/%s' % (spec['mainWheel'], lib))
    os.chmod(out + '/lib/' + lib, 0o755)
# CUDA wheels: their nvidia/<pkg>/lib trees, where TensorFlow's RUNPATH ($ORIGIN/../nvidia/...) looks.
for wheel in spec['cudaWheels']:
    with zipfile.ZipFile(wheel) as z:
        for info in z.infolist():
            if info.filename.startswith('nvidia/') and not info.is_dir():
                target = out + '/' + info.filename
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with z.open(info) as src, open(target, 'wb') as dst:
                    shutil.copyfileobj(src, dst)
                if '/lib/' in info.filename or '/bin/' in info.filename:
                    os.chmod(target, 0o755)
# The vendor archive's layout (deps/lib, deps/include), as symlinks to the final cache paths:
# the linker takes -ltensorflow / -ltensorflow_framework, the loader the SONAMEs, and
# install.js checks for lib/libtensorflow.so.<archive version>.
cc, fw = final + '/lib/libtensorflow_cc.so.2', final + '/lib/libtensorflow_framework.so.2'
links = {'lib/libtensorflow_cc.so.2': cc, 'lib/libtensorflow_framework.so.2': fw,
         'lib/libtensorflow.so': cc, 'lib/libtensorflow_framework.so': fw,
         'lib/libtensorflow.so.' + spec['archiveVersion']: cc,
         'lib/libtensorflow_framework.so.' + spec['archiveVersion']: fw,
         'include': final + '/include'}
if spec['cudaWheels']:
    links['nvidia'] = final + '/nvidia'
with tarfile.open(out + '/mirror/' + spec['archive'], 'w:gz') as tar:
    d = tarfile.TarInfo('lib'); d.type = tarfile.DIRTYPE; d.mode = 0o755; tar.addfile(d)
    for name, target in links.items():
        link = tarfile.TarInfo(name); link.type = tarfile.SYMTYPE; link.linkname = target; tar.addfile(link)
`;

/** Fetches and unpacks one flavour into the cache, unless it is there already. */
function prepareLibraries(flavour) {
  const { wheel, version, cuda } = FLAVOURS[flavour];
  const final = libraryDir(flavour);
  const archive = `libtensorflow-${flavour}-linux-x86_64-${ARCHIVE_VERSION}.tar.gz`;
  // What the cache was made from: a change of pins (or a half-written cache) rebuilds it.
  const manifest = JSON.stringify({ wheel: `${wheel}==${version}`, cuda: cuda ? CUDA_WHEELS : [], headers: HEADER_PREFIXES });
  const manifestFile = join(final, 'manifest.json');
  if (existsSync(join(final, 'mirror', archive)) && existsSync(manifestFile) && readFileSync(manifestFile, 'utf8') === manifest) {
    return { final, archive };
  }
  const started = Date.now();
  const work = `${final}.partial-${process.pid}`;
  const wheels = join(work, 'wheels');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(wheels, { recursive: true });
  try {
    say(`fetching ${wheel}==${version} from PyPI (pip)`);
    pipDownload([`${wheel}==${version}`], wheels);
    const mainWheel = join(wheels, readdirSync(wheels).find((f) => f.endsWith('.whl')));
    const cudaWheels = [];
    if (cuda) {
      const cudaDir = join(work, 'cuda-wheels');
      mkdirSync(cudaDir);
      say(`fetching the CUDA 12 wheels ${wheel} ${version} needs (several GB): ${CUDA_WHEELS.join(' ')}`);
      pipDownload(CUDA_WHEELS, cudaDir);
      for (const file of readdirSync(cudaDir)) if (file.endsWith('.whl')) cudaWheels.push(join(cudaDir, file));
    }
    const out = join(work, 'tree');
    const spec = { out, final, mainWheel, cudaWheels, headers: HEADER_PREFIXES, archive, archiveVersion: ARCHIVE_VERSION };
    const unpack = run('python3', ['-c', UNPACK_PY, JSON.stringify(spec)]);
    if (unpack.status !== 0) throw new Error(`unpacking ${basename(mainWheel)} failed: ${unpack.stderr.trim()}`);
    writeFileSync(join(out, 'manifest.json'), manifest);
    rmSync(final, { recursive: true, force: true });
    mkdirSync(dirname(final), { recursive: true });
    renameSync(out, final);
    say(`unpacked ${flavour} libtensorflow ${version} into ${final} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { final, archive };
}

/** Serves each prepared flavour's archive on 127.0.0.1; resolves to the base URI and a stop function. */
function serveMirror(archives) {
  const files = new Map(archives.map(({ final, archive }) => [`/${archive}`, join(final, 'mirror', archive)]));
  const server = createServer((req, res) => {
    const file = files.get(req.url ?? '');
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolveServer({ baseUri: `http://127.0.0.1:${port}/libtensorflow-`, stop: () => new Promise((done) => server.close(done)) });
    });
  });
}

/** Runs a command with the mirror's environment, asynchronously (the mirror answers from this process). */
function runAsync(command, args, env, cwd = ROOT) {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', () => resolveRun(127));
    child.once('close', (code) => resolveRun(code ?? 1));
  });
}

/** Loads the package in a child process; returns the TensorFlow version it reports, or the error. */
export function probe(flavour) {
  const { pkg } = FLAVOURS[flavour];
  const script = `const tf = require(${JSON.stringify(pkg)}); const b = tf.backend();
    console.log(JSON.stringify({ tensorflow: b.binding.TF_Version, gpuPackage: b.isGPUPackage, gpu: b.isUsingGpuDevice }));`;
  const result = run(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  if (result.status === 0) {
    try {
      return { ok: true, ...JSON.parse(result.stdout.trim().split('\n').pop()) };
    } catch {
      /* fall through */
    }
  }
  const why = (result.stderr || result.stdout).split('\n').find((line) => /Error|error:/.test(line)) ?? `exit ${result.status}`;
  return { ok: false, reason: why.trim() };
}

function report(flavour) {
  const state = probe(flavour);
  const { pkg, version } = FLAVOURS[flavour];
  if (state.ok) say(`${pkg} loads: TensorFlow ${state.tensorflow}${state.gpuPackage ? `, GPU device ${state.gpu ? 'in use' : 'not found (runs on the CPU)'}` : ''}`);
  else say(`${pkg} does not load: ${state.reason}`);
  return state.ok && state.tensorflow === version;
}

async function main(argv) {
  const gpu = argv.includes('--gpu');
  const flavours = gpu ? ['cpu', 'gpu'] : ['cpu'];
  if (argv.includes('--hint')) {
    // package.json's postinstall: after a bare `npm install` / `npm ci` on a host where this
    // script has run, say so if npm dropped the native package (its install script cannot download).
    if (process.env.TFJS_NODE_BASE_URI || !existsSync(libraryDir('cpu'))) return;
    const state = probe('cpu');
    if (!state.ok) {
      say(`this npm install left ${FLAVOURS.cpu.pkg} unusable (${state.reason}); trials will run on wasm.`);
      say('rebuild it from the cache in seconds: node infra/native-tensorflow.mjs  (or bash infra/setup.sh)');
    }
    return;
  }
  if (argv.includes('--check')) {
    const ok = flavours.map(report).every(Boolean);
    process.exit(ok ? 0 : 1);
  }
  const npmInstall = ['install', '--no-audit', '--no-fund'];
  const missing = process.platform === 'linux' && process.arch === 'x64' ? missingTools() : [`a linux x86_64 host (this is ${process.platform} ${process.arch})`];
  if (missing) {
    say(`skipped, missing ${missing.join(', ')}; trials will run on the wasm backend`);
    process.exit(await runAsync('npm', npmInstall, process.env));
  }
  let archives;
  try {
    archives = flavours.map(prepareLibraries);
  } catch (err) {
    say(`could not prepare libtensorflow (${err.message}); trials will run on the wasm backend`);
    process.exit(await runAsync('npm', npmInstall, process.env));
  }
  const mirror = await serveMirror(archives);
  const env = {
    ...process.env,
    TFJS_NODE_BASE_URI: mirror.baseUri,
    npm_config_nodedir: nodeHeadersDir(),
    TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2',
  };
  try {
    const code = await runAsync('npm', npmInstall, env);
    if (code !== 0) process.exit(code);
    for (const flavour of flavours) {
      const { pkg, version } = FLAVOURS[flavour];
      const state = probe(flavour);
      if (state.ok && state.tensorflow === version) continue;
      // Present but unbuilt (an npm that skipped install scripts), or built against another library: rebuild.
      const dir = join(ROOT, 'node_modules', pkg);
      if (!existsSync(join(dir, 'package.json'))) {
        say(`${pkg} is not installed (npm dropped it: ${state.reason ?? 'unknown'})`);
        continue;
      }
      say(`building ${pkg}'s addon against TensorFlow ${version}`);
      // As npm would run it: node-pre-gyp comes from the packages' .bin folders.
      const bins = [join(dir, 'node_modules', '.bin'), join(ROOT, 'node_modules', '.bin')];
      const path = [...bins, env.PATH].filter(Boolean).join(':');
      await runAsync(process.execPath, ['scripts/install.js', flavour, 'download'], { ...env, PATH: path }, dir);
    }
  } finally {
    await mirror.stop();
  }
  const ok = flavours.map(report).every(Boolean);
  if (!ok) say('native TensorFlow is not usable here; trials will run on the wasm backend');
  writeFileSync(join(cacheRoot(), 'libtensorflow', 'last-install.json'), JSON.stringify({ flavours, ok, at: new Date().toISOString() }) + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
