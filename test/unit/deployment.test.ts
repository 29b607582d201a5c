/**
 * The deployment files, checked without a Docker engine: docker-compose.yml parsed with
 * `yaml`, the Dockerfile, .dockerignore and nest-cli.json read as text, each held to what
 * exists in the repository (entry points, package.json's versions, the build script).
 */
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import { searchAttributesCreateCommand } from '../../libs/contracts';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}
const compose = YAML.parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const byImage = (repo: string): [string, Service][] => Object.entries(services).filter(([, s]) => s.image?.split(':')[0] === repo);
const script = (s: Service): string => (Array.isArray(s.command) ? s.command.join('\n') : (s.command ?? ''));

describe('docker-compose.yml', () => {
  it('uses no deprecated image: Temporal runs from temporalio/server, not temporalio/auto-setup', () => {
    const images = Object.values(services).map((s) => s.image);
    expect(images.filter((i) => i?.startsWith('temporalio/auto-setup'))).toEqual([]);
    expect(byImage('temporalio/server').map(([name]) => name)).toEqual(['temporal']);
  });

  it('pins every pulled image to a version (a tag with a digit, never latest); the apps use the image built here', () => {
    const pulled = Object.entries(services).filter(([, s]) => s.build === undefined);
    expect(pulled.length).toBeGreaterThanOrEqual(6);
    for (const [name, s] of pulled) {
      expect([name, s.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:[\w.-]*\d[\w.-]*$/)]);
      expect([name, s.image]).not.toEqual([name, expect.stringMatching(/:latest$/)]);
    }
    for (const [name, s] of Object.entries(services).filter(([, s]) => s.build !== undefined)) {
      expect([name, s.image]).toEqual([name, 'aims-orchestrator:local']);
    }
  });

  it('runs admin-tools of the server version once to create and migrate temporal and temporal_visibility; the server waits for it to succeed', () => {
    const serverVersion = services.temporal.image!.split(':')[1];
    const [schemaName, schema] = byImage('temporalio/admin-tools').find(([, s]) => script(s).includes('setup-schema'))!;
    expect(schema.image!.split(':')[1].startsWith(`${serverVersion}-`) || schema.image!.endsWith(`:${serverVersion}`)).toBe(true);
    for (const db of ['temporal', 'temporal_visibility']) expect(script(schema)).toContain(db);
    expect(script(schema)).toMatch(/create\b/);
    expect(script(schema)).toContain('update-schema');
    expect(schema.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
    expect(services.temporal.depends_on).toEqual({ [schemaName]: { condition: 'service_completed_successfully' } });
  });

  it("registers the apps' namespace in a one-shot the worker and the API wait for", () => {
    const namespace = services.worker.environment!.TEMPORAL_NAMESPACE;
    expect(namespace).toBe('default');
    const [nsName, ns] = byImage('temporalio/admin-tools').find(([, s]) => script(s).includes('namespace create'))!;
    expect(script(ns)).toContain(`namespace create --namespace ${namespace}`);
    expect(ns.depends_on?.temporal).toBeDefined();
    for (const app of ['worker', 'api']) {
      expect(services[app].depends_on?.[nsName]).toEqual({ condition: 'service_completed_successfully' });
      expect(services[app].depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  it('the namespace one-shot registers every search attribute the workflows set, with the command the README documents', () => {
    const namespace = services.worker.environment!.TEMPORAL_NAMESPACE;
    const [, ns] = byImage('temporalio/admin-tools').find(([, s]) => script(s).includes('namespace create'))!;
    const command = searchAttributesCreateCommand(namespace);
    expect(script(ns)).toContain(command);
    // After the namespace exists: the attributes belong to it.
    expect(script(ns).indexOf(command)).toBeGreaterThan(script(ns).indexOf('namespace create'));
    expect(read('README.md')).toContain(command);
  });

  it("mounts the server's dynamic config from the repository", () => {
    const mount = services.temporal.volumes!.find((v) => v.includes('dynamicconfig'))!;
    const [host, container] = mount.split(':');
    expect(fs.existsSync(path.join(ROOT, host))).toBe(true);
    expect(services.temporal.environment!.DYNAMIC_CONFIG_FILE_PATH).toBe(container);
    expect(YAML.parse(fs.readFileSync(path.join(ROOT, host), 'utf8'))).toMatchObject({
      'frontend.enableUpdateWorkflowExecution': [{ value: true }],
    });
  });

  it("runs the SMTP catcher at package.json's maildev version, the one `npm start` runs", () => {
    const [[, mail]] = byImage('maildev/maildev');
    expect(mail.image!.split(':')[1]).toBe(pkg.devDependencies.maildev);
  });

  it('runs api, worker and migrate from the built image with node on dist/, entry points that the build produces', () => {
    for (const app of ['api', 'worker', 'migrate']) {
      const s = services[app];
      expect(s.build).toBe('.');
      expect(s.command).toEqual(['node', `dist/apps/${app}/main.js`]);
      expect(fs.existsSync(path.join(ROOT, 'apps', app, 'main.ts'))).toBe(true);
    }
    expect(new Set(['api', 'worker', 'migrate'].map((a) => services[a].image)).size).toBe(1);
  });

  it('gives the apps the same environment variables as before', () => {
    const expected = [
      'AIMS_ADMIN_TOKEN',
      'AIMS_TIMEZONE',
      'DATABASE_URL',
      'MAIL_FROM',
      'SMTP_URL',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_NAMESPACE',
    ];
    expect(Object.keys(services.migrate.environment!).sort()).toEqual(expected);
    expect(Object.keys(services.worker.environment!).sort()).toEqual(expected);
    expect(Object.keys(services.api.environment!).sort()).toEqual([...expected, 'PORT'].sort());
  });
});

describe('Dockerfile', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: { name: string; lines: string[] }[] = [];
  for (const line of lines) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ name: from[1] ?? String(stages.length), lines: [] });
    else stages[stages.length - 1].lines.push(line);
  }
  const runtime = stages[stages.length - 1];

  it('is multi-stage: a build stage installs everything and runs npm run build', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages[0].lines;
    expect(build).toContain('RUN npm ci --no-audit --no-fund');
    expect(build).toContain('RUN npm run build');
    expect(build.indexOf('RUN npm run build')).toBeGreaterThan(build.indexOf('RUN npm ci --no-audit --no-fund'));
  });

  it('copies into the build stage what `npm run build` reads', () => {
    expect(pkg.scripts.build).toBe('ts-node --transpile-only tools/build.ts');
    const copied = stages[0].lines.filter((l) => l.startsWith('COPY')).flatMap((l) => l.split(/\s+/).slice(1, -1));
    for (const file of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'tools/build.ts',
      'tools/web-build.ts',
      'libs',
      'workflows',
      'activities',
      'apps',
    ]) {
      expect(copied).toContain(file);
      expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
    }
  });

  it('has a runtime stage with production dependencies and dist/ only, started by node on dist/ without ts-node', () => {
    expect(runtime.lines).toContain('RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force');
    expect(runtime.lines).toContain(`COPY --from=${stages[0].name} /app/dist ./dist`);
    expect(runtime.lines.filter((l) => l.startsWith('COPY') && !l.startsWith('COPY --from'))).toEqual([
      'COPY package.json package-lock.json ./',
    ]);
    const start = runtime.lines.filter((l) => /^(CMD|ENTRYPOINT)\b/.test(l));
    expect(start).toEqual(['CMD ["node", "dist/apps/api/main.js"]']);
    expect(runtime.lines.join('\n')).not.toMatch(/ts-node|webpack/);
    expect(runtime.lines).toContain('USER node');
  });
});

describe('.dockerignore and nest-cli.json', () => {
  it('keeps installed modules, builds, local data and secrets out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['node_modules', 'dist', '.data', '.git', '.env']) expect(ignored).toContain(entry);
    // Nothing the Dockerfile copies is ignored.
    for (const needed of ['apps', 'libs', 'workflows', 'activities', 'tools', 'package.json', 'package-lock.json'])
      expect(ignored).not.toContain(needed);
  });

  it('nest-cli.json describes the layout that exists: the API in apps/api, built with tsconfig.build.json', () => {
    const nest = JSON.parse(read('nest-cli.json')) as {
      sourceRoot: string;
      entryFile: string;
      monorepo?: boolean;
      projects?: unknown;
      compilerOptions: { tsConfigPath: string };
    };
    expect(nest.monorepo).toBeUndefined();
    expect(nest.projects).toBeUndefined();
    expect(fs.existsSync(path.join(ROOT, nest.sourceRoot, `${nest.entryFile}.ts`))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, nest.compilerOptions.tsConfigPath))).toBe(true);
  });
});
