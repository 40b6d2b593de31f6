# DigiPalīgs: runs with the embedded defaults (no build step; TypeScript runs through tsx).
# Data (embedded PGlite) lives in /app/data: mount a volume there, or set DATABASE_URL.
# Production with PostgreSQL and two instances behind one port: see compose.yaml.
FROM node:20-bookworm-slim
WORKDIR /app
# MALLOC_ARENA_MAX=1: one malloc arena instead of one per thread (V8's compiler and GC threads
# left ~60 MB in arenas of their own); see README "Footprint".
ENV NODE_ENV=production NODE_NO_WARNINGS=1 MALLOC_ARENA_MAX=1
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY src ./src
COPY public ./public
COPY knowledge ./knowledge
COPY flows ./flows
COPY tsconfig.json ./
COPY deploy/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 0755 /usr/local/bin/docker-entrypoint.sh && mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
EXPOSE 3000
# Healthy when the app answers and its database does (node: the slim image has no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
# The entrypoint makes a root-owned data folder (a fresh bind mount) usable, then runs the
# command as the unprivileged user `node`. The command is node itself, not npm: SIGTERM reaches
# the app, which stops cleanly within 10 s (Docker's grace period). --liftoff-only: PGlite's
# WebAssembly runs on V8's baseline compiler, without recompiling hot functions with TurboFan
# (that took ~2 s of CPU at start and ~40 MB; queries are as fast, bench/footprint.ts).
# --max-semi-space-size=8: V8's young generation stays at 2 × 8 MB instead of growing to
# 2 × 16 MB during the start and staying resident (~30 MB less idle memory). 4 MB saved 15 MB
# more but cost ~8 % more CPU per message in garbage collection under load (README "Footprint").
# `npm start` runs the same command (tests/start-command.test.ts).
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node", "--liftoff-only", "--max-semi-space-size=8", "--import", "tsx", "src/main.ts"]
