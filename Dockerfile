# syntax=docker/dockerfile:1.7
# One image, two roles: APP_ROLE=api (HTTP) or APP_ROLE=worker (BullMQ processors + health/metrics).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig*.json nest-cli.json ./
COPY src ./src
COPY test/simulators ./test/simulators
COPY test/support ./test/support
COPY bench ./bench
RUN npm run build && npm run build:sim

# Simulators of the upstreams, for docker compose (development only; never deployed).
FROM build AS simulators
ENV NODE_ENV=development
USER node
CMD ["node", "dist-sim/test/simulators/oidc/main.js"]

FROM node:24-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

FROM node:24-bookworm-slim AS runtime
# Heap bounds (the benchmarks read them from here and run the BFF with them; docs/capacity-plan.md):
# - old space 256 MiB: unbounded, RSS reached ~480 MiB under bench:api; 160 MiB made GC eat half
#   the throughput.
# - semi-space 16 MiB: V8 sizes the young generation from the host's memory (up to 128 MiB on a
#   24 GiB machine, all touched during start-up). RSS when ready 206 → 174 MiB, under load 315 →
#   241 MiB; 4 MiB gave 151 / 203 MiB but ~0.2 ms more GC CPU per notice-list request.
# The task definition may override NODE_OPTIONS.
ENV NODE_ENV=production \
    APP_ROLE=api \
    PORT=3000 \
    NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=16"
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# exec form: node is PID 1's child-free process and receives SIGTERM directly for graceful shutdown.
CMD ["node", "dist/main.js"]
