/**
 * The worker's memory bound and its report, on the real stack: a worker with a cache of 2
 * (AIMS_WORKER_MAX_CACHED_WORKFLOWS) and a status line every 250 ms (AIMS_WORKER_STATUS_INTERVAL_MS)
 * holds five open tasks. Its log says so with real numbers (never more than 2 cached, the RSS the
 * kernel reports for its process), and a task long evicted from the cache still takes its Update,
 * its query and its submission and approval over HTTP: it replays from its history.
 */
import * as fs from 'fs';
import * as path from 'path';
import request from 'supertest';
import { parseWorkerStatus, WorkerStatusFigures } from '../../apps/worker/status';
import { rssMb } from '../../bench/stack';
import { DEFAULT_TASK_QUEUE, GovernanceTaskInput, statusQuery, taskOpenedUpdate, WORKFLOW_TYPES } from '../../libs/contracts';
import { DEFAULT_LADDER } from '../../libs/domain';
import { connectToStack, StackClients, startTestStack, TestStack } from '../support/stack';
import { bearer, eventually, registerPerson, RegisteredPerson, validAnswers } from './support/fixtures';

jest.setTimeout(120_000);

const uniq = Math.random().toString(36).slice(2, 8);
const TASKS = 5;
const CACHE = 2;
const DAY_MS = 86_400_000;

let stack: TestStack;
let clients: StackClients;
let owner: RegisteredPerson;
let lead: RegisteredPerson;
const taskIds = Array.from({ length: TASKS }, (_, i) => `worker-memory-e2e:${uniq}:${i}`);

function statusLines(): WorkerStatusFigures[] {
  return fs
    .readFileSync(path.join(stack.dataDir, 'logs', 'worker.log'), 'utf8')
    .split('\n')
    .map(parseWorkerStatus)
    .filter((s): s is WorkerStatusFigures => s !== undefined);
}

function taskInput(i: number): GovernanceTaskInput {
  return {
    kind: 'high-risk-review',
    title: `Memory review ${i} ${uniq}`,
    subject: { type: 'ai-system', id: `worker-memory-e2e-${uniq}-${i}`, name: `Memory system ${i}` },
    ownerId: owner.id,
    approverRoles: ['governance_lead'],
    dueAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
    ladder: DEFAULT_LADDER,
    timeZone: 'UTC',
  };
}

beforeAll(async () => {
  stack = await startTestStack({ env: { AIMS_WORKER_MAX_CACHED_WORKFLOWS: String(CACHE), AIMS_WORKER_STATUS_INTERVAL_MS: '250' } });
  clients = await connectToStack(stack);
  owner = await registerPerson(stack, 'Olga Owner', 'owner', uniq);
  lead = await registerPerson(stack, 'Liam Lead', 'governance_lead', uniq);
  // One after another, each answering once its opening is recorded: the first ones are evicted by the later ones.
  for (const [i, workflowId] of taskIds.entries()) {
    const handle = await clients.temporal.workflow.start(WORKFLOW_TYPES.governanceTask, {
      taskQueue: DEFAULT_TASK_QUEUE,
      workflowId,
      args: [taskInput(i)],
    });
    expect((await handle.executeUpdate(taskOpenedUpdate)).state).toBe('open');
  }
}, 300_000);

afterAll(async () => {
  await clients?.close();
  await stack?.stop();
}, 60_000);

describe("the worker's status line", () => {
  it('reports the cache against its bound, never past it, and the memory the kernel sees', async () => {
    // The openings' emails go out after the Update answered: wait for a line with nothing in flight.
    const idle = await eventually(async () => {
      const last = statusLines().at(-1);
      return last && last.inFlightActivations === 0 && last.inFlightActivities === 0 && last;
    }, 'a status line with nothing in flight');
    const kernelMb = rssMb(stack.appPids!.worker);
    const lines = statusLines();
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      expect(line.maxCachedWorkflows).toBe(CACHE);
      expect(line.cachedWorkflows).toBeLessThanOrEqual(CACHE);
    }
    // Five tasks are open and waiting on their ladder; the cache holds some, at most two.
    expect(idle.cachedWorkflows).toBeGreaterThanOrEqual(1);
    expect(Math.max(...lines.map((l) => l.cachedWorkflows))).toBe(CACHE);
    // Real figures: the line's RSS is the worker process' own (it moves a little between the line and the read).
    expect(idle.rssMb).toBeGreaterThan(50);
    expect(Math.abs(idle.rssMb - kernelMb) / kernelMb).toBeLessThan(0.25);
    expect(idle.heapUsedMb).toBeGreaterThan(1);
    expect(idle.heapTotalMb).toBeGreaterThanOrEqual(idle.heapUsedMb);
  });
});

describe('a task evicted from the cache', () => {
  it('answers its Update and its query, replayed from its history', async () => {
    const handle = clients.temporal.workflow.getHandle(taskIds[0]);
    const opened = await handle.executeUpdate(taskOpenedUpdate);
    expect(opened).toMatchObject({ taskId: taskIds[0], state: 'open', ownerId: owner.id, version: 1 });
    expect(await handle.query(statusQuery)).toMatchObject({ taskId: taskIds[0], state: 'open', version: 1 });
  });

  it('takes its submission and approval over HTTP, with the others evicted in turn', async () => {
    const task = `/tasks/${encodeURIComponent(taskIds[1])}`;
    const submitted = await request(stack.apiUrl)
      .post(`${task}/submit`)
      .set(bearer(owner.token))
      .send({ summary: 'Reviewed after an eviction.', answers: validAnswers('high-risk-review') });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ taskId: taskIds[1], state: 'submitted', submittedBy: owner.id });
    // Touch the others, so the submitted task is evicted again before its approval.
    for (const id of taskIds.slice(2)) await clients.temporal.workflow.getHandle(id).executeUpdate(taskOpenedUpdate);
    const approved = await request(stack.apiUrl).post(`${task}/approve`).set(bearer(lead.token)).send({ comment: 'Fine.' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ taskId: taskIds[1], state: 'approved', approvedBy: lead.id, submissions: 1 });
    for (const line of statusLines()) expect(line.cachedWorkflows).toBeLessThanOrEqual(CACHE);
  });
});
