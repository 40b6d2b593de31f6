# DigiPalīgs: runs with the embedded defaults (no build step; TypeScript runs through tsx).
# Data (embedded PGlite) lives in /app/data: mount a volume there, or set DATABASE_URL.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY src ./src
COPY public ./public
COPY knowledge ./knowledge
COPY flows ./flows
COPY tsconfig.json ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME /app/data
EXPOSE 3000
CMD ["npm", "start"]
