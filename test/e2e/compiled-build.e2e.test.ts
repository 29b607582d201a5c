/**
 * The compiled build, run the way the Docker image runs it. beforeAll runs `npm run build`
 * (tsc to dist/, the ahead-of-time workflow bundle and the web app in dist/web); migrate, the worker and the API then
 * start with plain node from dist/ (appsFrom: 'dist': no ts-node, no webpack at start) on the
 * embedded stack, and one quarterly review goes from its trigger to its approval over HTTP.
 * A build that fails (a type error, a workflow that does not bundle) or that the compiled
 * apps cannot start from fails every test here.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import request from 'supertest';
import { WORKFLOW_TYPES } from '../../libs/contracts';
import { quarterOf } from '../../libs/domain';
import { startTestStack, TestStack } from '../support/stack';
import { bearer, eventually, registerPerson, systemBody, validAnswers } from './support/fixtures';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const uniq = Math.random().toString(36).slice(2, 8);

let stack: TestStack;
const api = () => request(stack.apiUrl);
const appLog = (name: string) => fs.readFileSync(path.join(stack.dataDir, 'logs', `${name}.log`), 'utf8');

/** `npm run build` in the repository; resolves with its output, rejects with it when the build fails. */
function npmRunBuild(timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`npm run build failed (exit ${code ?? signal}):\n${out}`));
    });
  });
}

beforeAll(async () => {
  const t0 = Date.now();
  await npmRunBuild(300_000);
  const built = Date.now();
  stack = await startTestStack({ appsFrom: 'dist', env: { AIMS_TIMEZONE: 'UTC' } });
  process.stdout.write(`[compiled-build.e2e] npm run build ${built - t0} ms; stack up from dist/ in ${Date.now() - built} ms\n`);
}, 600_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('npm run build', () => {
  it('compiles the three entry points, bundles the workflows and builds the web app, and nothing of test/, bench/ or tools/', () => {
    for (const name of ['api', 'worker', 'migrate']) expect(fs.existsSync(path.join(DIST, 'apps', name, 'main.js'))).toBe(true);
    expect(fs.readdirSync(DIST).sort()).toEqual(['activities', 'apps', 'libs', 'web', 'workflow-bundle.js', 'workflows']);
    // The web app's sources are Vite's, never tsc's.
    expect(fs.existsSync(path.join(DIST, 'apps', 'web'))).toBe(false);
    expect(fs.existsSync(path.join(DIST, 'web', 'index.html'))).toBe(true);
    const bundle = fs.readFileSync(path.join(DIST, 'workflow-bundle.js'), 'utf8');
    for (const workflow of Object.values(WORKFLOW_TYPES)) expect(bundle).toContain(workflow);
  });
});

describe('the compiled apps', () => {
  it('run with plain node from dist/: no ts-node, and the worker loads the prebuilt bundle instead of bundling', () => {
    for (const name of ['migrate', 'worker', 'api']) {
      const started = appLog(name)
        .split('\n')
        .find((l) => l.includes(' start '));
      expect(started).toContain(`${process.execPath} ${path.join(DIST, 'apps', name, 'main.js')}`);
      expect(started).not.toContain('ts-node');
    }
    expect(appLog('migrate')).toMatch(/migrate: ran \w+|schema is up to date/);
    // The SDK logs this whenever it runs webpack (from sources, `npm start` does at every start).
    expect(appLog('worker')).not.toContain('Workflow bundle created');
    expect(appLog('worker')).not.toContain('webpack');
  });

  it('serve the web app from dist/web at /app/, its code from the hashed assets it names', async () => {
    const index = await api().get('/app/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
    expect(script).toBeDefined();
    expect(fs.existsSync(path.join(DIST, 'web', script!.slice('/app/'.length)))).toBe(true);
    const js = await api().get(script!);
    expect(js.status).toBe(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('take a quarterly review from its trigger to its approval', async () => {
    const manager = await registerPerson(stack, 'Mia Manager', 'management', uniq);
    const owner = await registerPerson(stack, 'Oskar Owner', 'owner', uniq, manager.id);
    const lead = await registerPerson(stack, 'Gil Lead', 'governance_lead', uniq);
    const system = await api()
      .post('/systems')
      .set({ Authorization: stack.adminAuth })
      .send(
        systemBody({
          name: `Compiled scoring ${uniq}`,
          ownerId: owner.id,
          riskTier: 'high',
          lifecycleStage: 'operation_and_monitoring',
          goLiveDate: '2026-03-17',
        }),
      );
    expect(system.status).toBe(201);
    const systemId: string = system.body.id;
    const cadenceId = `high-risk-review:${systemId}`;

    const trig = await api().post(`/cadences/${cadenceId}/trigger`).set(bearer(lead.token));
    expect(trig.status).toBe(200);
    const period = quarterOf(new Date(), 'UTC').key;
    const taskId = `${cadenceId}:${period}`;
    const mail = await stack.inbox.waitFor((m) => m.to.includes(owner.email) && m.subject.includes(`High-risk review ${period}`), 60_000);
    expect(mail.text).toContain(taskId);

    const task = `/tasks/${encodeURIComponent(taskId)}`;
    await eventually(
      async () => (await api().get(task).set(bearer(owner.token))).body.state === 'open',
      'the review open in the read model',
    );
    const submitted = await api()
      .post(`${task}/submit`)
      .set(bearer(owner.token))
      .send({
        summary: 'Metrics within thresholds.',
        evidenceUrls: ['https://wiki.example.test/reviews/compiled'],
        answers: validAnswers('high-risk-review'),
      });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ taskId, state: 'submitted', submittedBy: owner.id });

    const approved = await api().post(`${task}/approve`).set(bearer(lead.token)).send({ comment: 'Approved from the build.' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ taskId, state: 'approved', approvedBy: lead.id, submissions: 1 });
    const row = await eventually(async () => {
      const r = await api().get(task).set({ Authorization: stack.adminAuth });
      return r.body.state === 'approved' && r.body;
    }, 'the approval in the read model');
    expect(row).toMatchObject({ approvedBy: lead.id, ownerId: owner.id });
  });
});
