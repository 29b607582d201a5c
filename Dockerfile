# Image for the api, worker and migrate services of docker-compose.yml.
# The apps run from TypeScript sources through ts-node (transpile-only), the same
# way `npm start` runs them; the worker bundles workflows/ at start-up.
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false

# Dependencies first, for layer caching.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Only the sources the apps need (no node_modules, .data or tests from the host).
COPY tsconfig.json nest-cli.json ./
COPY libs ./libs
COPY workflows ./workflows
COPY activities ./activities
COPY apps ./apps

USER node
ENV PORT=3000
EXPOSE 3000

# docker-compose.yml overrides this for the worker and migrate services.
CMD ["node", "-r", "ts-node/register/transpile-only", "apps/api/main.ts"]
