/**
 * The audit package against the real stack: a ZIP an auditor unpacks and checks offline
 * with `sha256sum -c MANIFEST.sha256`; its trail chains and every row's hash recomputes by
 * the rule it states; its head hash is the chain's; a changed file fails the check. Bad
 * periods are field-level 400s, other roles 403.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { unzipSync } from 'fflate';
import request from 'supertest';
import { createHash } from 'crypto';
import { auditRowHash } from '../../libs/persistence';
import { startTestStack, TestStack } from '../support/stack';
import { bearer, downloadAuditPackage, eventually, registerPerson, RegisteredPerson, systemBody } from './support/fixtures';

const HOUR_MS = 3_600_000;

let stack: TestStack;
const uniq = Date.now().toString(36);
let lead: RegisteredPerson;
let auditor: RegisteredPerson;
let owner: RegisteredPerson;
let responder: RegisteredPerson;
let systemId: string;
let incidentId: string;
let startedAt: string;

const api = () => request(stack.apiUrl);

/** Downloads the package as bytes. */
function download(query: Record<string, string>, token = auditor.token): Promise<request.Response> {
  return downloadAuditPackage(stack, token, query);
}

/** Unpacks the ZIP into a fresh directory (as `unzip` would). */
function unpack(zip: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-package-'));
  for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(zip)))) fs.writeFileSync(path.join(dir, name), bytes);
  return dir;
}

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_TIMEZONE: 'Europe/Amsterdam' } });
  startedAt = new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  lead = await registerPerson(stack, 'Lena Lead', 'governance_lead', uniq);
  auditor = await registerPerson(stack, 'Aude Auditor', 'auditor', uniq);
  owner = await registerPerson(stack, 'Omar Owner', 'owner', uniq);
  responder = await registerPerson(stack, 'Rita Responder', 'responder', uniq);
  const sys = await api()
    .post('/systems')
    .set(bearer(lead.token))
    .send(
      systemBody({ name: `Package, "quoted" ${uniq}`, ownerId: owner.id, riskTier: 'limited', lifecycleStage: 'design_and_development' }),
    );
  expect(sys.status).toBe(201);
  systemId = sys.body.id;
  expect(
    (await api().patch('/soa/A.8.3').set(bearer(lead.token)).send({ applicability: 'excluded', justification: 'No duty' })).status,
  ).toBe(200);
  const inc = await api()
    .post('/incidents')
    .set(bearer(responder.token))
    .send({
      systemId,
      title: `Leak ${uniq}`,
      description: 'A score was sent to the wrong customer',
      severity: 'high',
      detectedAt: new Date(Date.now() - 2 * HOUR_MS).toISOString(),
      responderId: responder.id,
    });
  expect(inc.status).toBe(201);
  incidentId = inc.body.incidentId;
  // The incident's draft report task is in the task read model.
  await eventually(async () => {
    const t = await api().get('/tasks').query({ kind: 'incident-report' }).set(bearer(lead.token));
    return t.body.items?.length > 0;
  }, 'the draft report task');
}, 300_000);

afterAll(async () => {
  await stack?.stop();
}, 120_000);

it('is a ZIP whose manifest verifies with sha256sum -c, whose trail chains by its stated rule, and whose head is the chain head', async () => {
  const to = new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const res = await download({ from: startedAt, to });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/zip');
  expect(res.headers['content-disposition']).toMatch(
    /^attachment; filename="aims-audit-package-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.zip"$/,
  );
  const dir = unpack(res.body as Buffer);

  const files = fs.readdirSync(dir).sort();
  expect(files).toEqual(
    [
      'MANIFEST.sha256',
      'aims-clauses.csv',
      'audit-chain.json',
      'audit-findings.csv',
      'audit-heads.jsonl',
      'audit-programmes.json',
      'audit-trail.jsonl',
      'corrective-actions.csv',
      'corrective-actions.json',
      'incidents.csv',
      'incidents.json',
      'inventory-recertifications.csv',
      'inventory-recertifications.json',
      'inventory.csv',
      'inventory.json',
      'policies.csv',
      'policies.json',
      'policy-reviews.csv',
      'policy-reviews.json',
      'management-review-decisions.csv',
      'management-reviews.json',
      'scope.md',
      'soa.csv',
      'soa.json',
      'task-submissions.csv',
      'tasks.csv',
      'tasks.json',
    ].sort(),
  );
  const check = spawnSync('sha256sum', ['-c', '--strict', 'MANIFEST.sha256'], { cwd: dir, encoding: 'utf8' });
  expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
  expect(check.stdout.trim().split('\n')).toHaveLength(files.length - 1);

  // The chain: head as verified, the period's rows chain and recompute.
  const chain = JSON.parse(fs.readFileSync(path.join(dir, 'audit-chain.json'), 'utf8'));
  const verify = await api().get('/audit-trail/verify').set(bearer(auditor.token));
  expect(chain).toMatchObject({ intact: true, headHash: verify.body.headHash, rows: verify.body.rows });
  expect(res.headers['x-audit-chain-head']).toBe(verify.body.headHash);
  const trail = fs
    .readFileSync(path.join(dir, 'audit-trail.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(trail.length).toBe(chain.period.events);
  expect(trail.some((e) => e.streamId === `system:${systemId}` && e.event === 'system.registered')).toBe(true);
  expect(trail.some((e) => e.streamId === 'soa:A.8.3')).toBe(true);
  for (const e of trail) {
    expect(Date.parse(e.occurredAt)).toBeGreaterThanOrEqual(Date.parse(startedAt));
    expect(e.chain).toBe('stream');
    expect(auditRowHash({ ...e, occurredAt: new Date(e.occurredAt) })).toBe(e.hash);
  }
  // Each stream chains by position: the row at streamSeq n + 1 carries the hash of the row at n.
  const byPosition = new Map(trail.map((e) => [`${e.streamId} ${e.streamSeq}`, e]));
  let links = 0;
  for (const e of trail) {
    const before = byPosition.get(`${e.streamId} ${e.streamSeq - 1}`);
    if (e.streamSeq === 1) expect(e.prevHash).toBe('0'.repeat(64));
    if (!before) continue;
    expect(e.prevHash).toBe(before.hash);
    links++;
  }
  expect(links).toBeGreaterThan(0);
  expect(chain.period.hashOfLast).toBe(trail.at(-1).hash);
  // The head hash is the SHA-256 of audit-heads.jsonl; each stream's last row of the period, if it is its last, has its head's hash.
  const headsFile = fs.readFileSync(path.join(dir, 'audit-heads.jsonl'));
  expect(createHash('sha256').update(headsFile).digest('hex')).toBe(verify.body.headHash);
  const heads = headsFile
    .toString('utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(heads).toHaveLength(chain.streams);
  expect(heads.map((h) => h.streamId)).toEqual([...heads.map((h) => h.streamId)].sort());
  const systemHead = heads.find((h) => h.streamId === `system:${systemId}`);
  expect(systemHead).toMatchObject({ chain: 'stream', headHash: byPosition.get(`system:${systemId} ${systemHead.length}`)?.hash });

  // The records.
  const inventory = JSON.parse(fs.readFileSync(path.join(dir, 'inventory.json'), 'utf8'));
  expect(inventory.find((s: { id: string }) => s.id === systemId)).toMatchObject({ risk_tier: 'limited', owner_id: owner.id });
  expect(fs.readFileSync(path.join(dir, 'inventory.csv'), 'utf8')).toContain(`"Package, ""quoted"" ${uniq}",limited,`);
  expect(fs.readFileSync(path.join(dir, 'soa.csv'), 'utf8').trimEnd().split('\r\n')).toHaveLength(39);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'soa.json'), 'utf8')).summary).toMatchObject({ controls: 38, excluded: 1 });
  const incidents = JSON.parse(fs.readFileSync(path.join(dir, 'incidents.json'), 'utf8'));
  expect(incidents.map((i: { incidentId: string }) => i.incidentId)).toContain(incidentId);
  const tasks = JSON.parse(fs.readFileSync(path.join(dir, 'tasks.json'), 'utf8'));
  expect(tasks.some((t: { kind: string; subject: { id: string } }) => t.kind === 'incident-report' && t.subject.id === incidentId)).toBe(
    true,
  );
  expect(fs.readFileSync(path.join(dir, 'scope.md'), 'utf8')).toContain(`Audit chain head at generation: ${verify.body.headHash}`);

  // A file changed after the fact fails the offline check.
  fs.appendFileSync(path.join(dir, 'inventory.csv'), 'forged,line\r\n');
  const tampered = spawnSync('sha256sum', ['-c', '--quiet', 'MANIFEST.sha256'], { cwd: dir, encoding: 'utf8' });
  expect(tampered.status).not.toBe(0);
  expect(tampered.stdout).toContain('inventory.csv: FAILED');
  execFileSync('rm', ['-rf', dir]);
});

it('leaves out what lies outside the period', async () => {
  const res = await download({ from: '2000-01-01T00:00:00Z', to: '2000-02-01T00:00:00Z' });
  expect(res.status).toBe(200);
  const dir = unpack(res.body as Buffer);
  expect(fs.readFileSync(path.join(dir, 'audit-trail.jsonl'), 'utf8')).toBe('');
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'inventory.json'), 'utf8'))).toEqual([]);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'tasks.json'), 'utf8'))).toEqual([]);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'soa.json'), 'utf8')).summary.undecided).toBe(38);
  expect(spawnSync('sha256sum', ['-c', '--strict', 'MANIFEST.sha256'], { cwd: dir }).status).toBe(0);
  execFileSync('rm', ['-rf', dir]);
});

it('refuses a bad period with field-level reasons, and roles other than auditors and governance leads', async () => {
  const to = await download({ from: '2026-12-01T00:00:00Z', to: '2026-11-01T00:00:00Z' });
  expect(to.status).toBe(400);
  expect(JSON.parse((to.body as Buffer).toString()).errors.map((e: { field: string }) => e.field)).toEqual(['to']);
  const from = await download({ from: 'last year' });
  expect(JSON.parse((from.body as Buffer).toString()).errors.map((e: { field: string }) => e.field)).toEqual(['from']);
  expect((await download({}, owner.token)).status).toBe(403);
  expect((await download({}, responder.token)).status).toBe(403);
  expect((await download({}, lead.token)).status).toBe(200);
});
