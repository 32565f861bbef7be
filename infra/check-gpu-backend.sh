#!/usr/bin/env bash
# Checks the GPU install end to end on this host: builds @tensorflow/tfjs-node-gpu offline
# (node infra/native-tensorflow.mjs --gpu: the tensorflow 2.21.0 wheel and the nvidia-* CUDA 12
# wheels from PyPI, several GB, cached in ~/.cache/sweeplab), shows which backend a trial
# gets and why (sweep doctor), and runs one real CNN training trial in a trial process.
#
# On a CUDA host the trial must report backend tensorflow-gpu on device GPU 0. On a host
# without a GPU the package must still load and fall back to TensorFlow's CPU kernels,
# saying so in one log line; forcing SWEEP_TFJS_BACKEND=gpu must then be refused.
# Not part of CI (the download is several GB). Exit 0 when the host behaved as it should.
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"

node infra/native-tensorflow.mjs --gpu
node infra/native-tensorflow.mjs --gpu --check

echo "== the CUDA 12 libraries TensorFlow dlopens, where its RUNPATH (\$ORIGIN/../nvidia/<pkg>/lib) finds them"
python3 - <<'PY'
import ctypes, glob
root = 'node_modules/@tensorflow/tfjs-node-gpu/deps/nvidia'
for name in ['libcudart.so.12', 'libcublasLt.so.12', 'libcublas.so.12', 'libcudnn.so.9', 'libcufft.so.11',
             'libcusparse.so.12', 'libcusolver.so.11', 'libcurand.so.10', 'libnccl.so.2', 'libnvJitLink.so.12']:
    found = glob.glob(f'{root}/*/lib/{name}')
    if not found:
        raise SystemExit(f'check-gpu-backend: FAIL: {name} is not under {root}')
    ctypes.CDLL(found[0], mode=ctypes.RTLD_GLOBAL)
    print(f'  {name}: {found[0]} loads')
PY

echo "== sweep doctor (automatic choice)"
node bin/sweep.mjs doctor --slots 1
echo "== one trial"
trial_json=$(npx tsx infra/run-one-trial.ts)
echo "$trial_json"
backend=$(node -e 'const r = JSON.parse(process.argv[1]); console.log(r.backend)' "$trial_json")
device=$(node -e 'const r = JSON.parse(process.argv[1]); console.log(r.device)' "$trial_json")

if nvidia-smi -L >/dev/null 2>&1; then
  echo "== a GPU is present: the trial must run on it"
  [ "$backend" = tensorflow-gpu ] && [[ "$device" == GPU* ]] || { echo "check-gpu-backend: FAIL: trial ran on $backend / $device" >&2; exit 1; }
  echo "check-gpu-backend: PASS: tfjs-node-gpu trial on $device"
else
  echo "== no GPU here: the trial must fall back to TensorFlow's CPU kernels, and forcing gpu must be refused"
  [ "$backend" = tensorflow ] && [[ "$device" == CPU* ]] || { echo "check-gpu-backend: FAIL: trial ran on $backend / $device" >&2; exit 1; }
  if SWEEP_TFJS_BACKEND=gpu node bin/sweep.mjs doctor --slots 1; then
    echo "check-gpu-backend: FAIL: SWEEP_TFJS_BACKEND=gpu was accepted without a GPU" >&2
    exit 1
  fi
  echo "check-gpu-backend: PASS: tfjs-node-gpu builds and loads, and without a GPU runs on the CPU"
fi
