# DigiPalīgs: runs with the embedded defaults (no build step; TypeScript runs through tsx).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY src ./src
COPY knowledge ./knowledge
COPY flows ./flows
COPY tsconfig.json ./
USER node
CMD ["npm", "start"]
