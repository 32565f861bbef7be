# syntax=docker/dockerfile:1
# A sweeplab CPU worker: `sweep worker --queue cpu`, trials on native TensorFlow (tfjs-node)
# built the way infra/setup.sh builds it, from package registries only: the C library from
# PyPI's tensorflow-cpu wheel (infra/native-tensorflow.mjs), the addon compiled against
# Node's headers. Build from the repository root:
#
#   docker build -f infra/images/cpu.Dockerfile \
#     --build-arg SWEEP_CODE_REVISION="$(git rev-parse HEAD)" -t REGISTRY/sweeplab-worker-cpu:TAG .
#
# The revision is baked in (SWEEP_CODE_REVISION) and recorded on every trial the image runs.

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# pip (the wheel), g++ and make (the tfjs-node addon); Debian's packages, not pinned to versions:
# the bookworm point releases only take security fixes.
# DL3008: Debian's and Ubuntu's archives keep only the current version of a package, so an
# exact pin breaks the build at the next security update; the base image's tag is the pin.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-pip g++ make ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV SWEEP_CACHE_DIR=/opt/sweeplab/cache \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
# What the install needs first (its layers are reused while the lock file does not change).
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/
COPY infra/native-tensorflow.mjs ./infra/
RUN node infra/native-tensorflow.mjs \
 && node infra/native-tensorflow.mjs --check \
 && npm prune --omit=dev \
 && npm cache clean --force
COPY . .

FROM ${NODE_IMAGE}
# Fashion-MNIST for the studies that train on it (/usr/share/datasets/fashion-mnist).
# DL3008: as above.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends dataset-fashion-mnist ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
ARG SWEEP_CODE_REVISION
RUN test -n "${SWEEP_CODE_REVISION}" || { echo "build with --build-arg SWEEP_CODE_REVISION=<the commit>" >&2; exit 1; }
LABEL org.opencontainers.image.title="sweeplab CPU worker" \
      org.opencontainers.image.revision="${SWEEP_CODE_REVISION}"
# libtensorflow stays where the addon was linked against it.
COPY --from=build /opt/sweeplab/cache /opt/sweeplab/cache
COPY --from=build /app /app
WORKDIR /app
# Read-only code, owned by root; the worker (uid 1000, the image's `node`) writes only /tmp.
ENV NODE_ENV=production \
    SWEEP_CODE_REVISION=${SWEEP_CODE_REVISION} \
    SWEEP_CACHE_DIR=/opt/sweeplab/cache \
    SWEEP_STATE_DIR=/tmp/sweeplab \
    TF_CPP_MIN_LOG_LEVEL=2
USER 1000:1000
EXPOSE 9464
# tini forwards SIGTERM to the worker, which then lets running trials finish (SWEEP_SHUTDOWN_GRACE).
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/sweep.mjs"]
CMD ["worker", "--queue", "cpu"]
