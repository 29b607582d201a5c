# Image for the api, worker and migrate services of docker-compose.yml.
#
# Two stages. `build` installs every dependency and runs `npm run build` (tsc to dist/, the
# workflow bundle dist/workflow-bundle.js and the web app dist/web from apps/web, see
# tools/build.ts). The runtime stage has
# the production dependencies and dist/ only: the apps start with plain node, no ts-node,
# and the worker loads the prebuilt bundle instead of running webpack at start.
#
# Installs are `npm ci` on the committed package-lock.json (it holds every platform's
# optional binaries, so it installs on amd64 and arm64 alike).

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY tools/build.ts tools/web-build.ts ./tools/
COPY libs ./libs
COPY workflows ./workflows
COPY activities ./activities
COPY apps ./apps
RUN npm run build

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist

USER node
ENV PORT=3000
EXPOSE 3000

# docker-compose.yml runs the worker and migrate from the same image with
# `node dist/apps/worker/main.js` and `node dist/apps/migrate/main.js`.
CMD ["node", "dist/apps/api/main.js"]
