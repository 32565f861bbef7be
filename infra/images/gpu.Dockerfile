# syntax=docker/dockerfile:1
# A sweeplab GPU worker: `sweep worker --queue gpu`, one trial per GPU, on tfjs-node-gpu built
# the way `infra/setup.sh --gpu` builds it, from package registries only: TensorFlow's C library
# from PyPI's tensorflow 2.21 wheel and the CUDA 12 libraries from its nvidia-* wheels
# (infra/native-tensorflow.mjs --gpu), the addon compiled against Node's headers. The node needs
# only the NVIDIA driver, which the NVIDIA container toolkit mounts. Build from the repository root:
#
#   docker build -f infra/images/gpu.Dockerfile \
#     --build-arg SWEEP_CODE_REVISION="$(git rev-parse HEAD)" -t REGISTRY/sweeplab-worker-gpu:TAG .
#
# The revision is baked in (SWEEP_CODE_REVISION) and recorded on every trial the image runs.

ARG CUDA_IMAGE=nvidia/cuda:12.9.1-base-ubuntu24.04
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# Node itself, from the official image (Ubuntu's is too old); glibc 2.28+ is all it needs.
FROM ${NODE_IMAGE} AS node

FROM ${CUDA_IMAGE} AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# DL3008: Debian's and Ubuntu's archives keep only the current version of a package, so an
# exact pin breaks the build at the next security update; the base image's tag is the pin.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-pip g++ make ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/include/node /usr/local/include/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
WORKDIR /app
ENV SWEEP_CACHE_DIR=/opt/sweeplab/cache \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/
COPY infra/native-tensorflow.mjs ./infra/
RUN node infra/native-tensorflow.mjs --gpu \
 && node infra/native-tensorflow.mjs --gpu --check \
 && npm prune --omit=dev \
 && npm cache clean --force
COPY . .

FROM ${CUDA_IMAGE}
# DL3008: as above.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
ARG SWEEP_CODE_REVISION
RUN test -n "${SWEEP_CODE_REVISION}" || { echo "build with --build-arg SWEEP_CODE_REVISION=<the commit>" >&2; exit 1; }
LABEL org.opencontainers.image.title="sweeplab GPU worker" \
      org.opencontainers.image.revision="${SWEEP_CODE_REVISION}"
COPY --from=node /usr/local/bin/node /usr/local/bin/node
# TensorFlow and the CUDA wheels' libraries stay where the addon's RUNPATH finds them.
COPY --from=build /opt/sweeplab/cache /opt/sweeplab/cache
COPY --from=build /app /app
WORKDIR /app
# The CUDA image has no unprivileged user; uid 1000 needs no entry to run node.
ENV NODE_ENV=production \
    HOME=/tmp \
    SWEEP_CODE_REVISION=${SWEEP_CODE_REVISION} \
    SWEEP_CACHE_DIR=/opt/sweeplab/cache \
    SWEEP_STATE_DIR=/tmp/sweeplab \
    TF_CPP_MIN_LOG_LEVEL=2 \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
USER 1000:1000
EXPOSE 9464
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/sweep.mjs"]
CMD ["worker", "--queue", "gpu"]
