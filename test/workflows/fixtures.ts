/** Shared set-up of the workflow tests: a time-skipping server, a worker on in-memory ports, people. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../../activities';
import { createInMemoryPorts, InMemoryPorts } from '../support/in-memory';
import type { Person } from '../../activities/ports';
import type { CorrectiveActionInput } from '../../libs/contracts';
import { correctiveActionPlan } from '../../libs/domain';
import { createWorker } from '../../apps/worker/worker';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { testEnv } from '../support/test-env';

export const PEOPLE = {
  owner: { id: 'p-owner', name: 'Olivia Owner', email: 'olivia@example.test', role: 'owner', managerId: 'p-manager' },
  manager: { id: 'p-manager', name: 'Max Manager', email: 'max@example.test', role: 'owner', managerId: null },
  lead: { id: 'p-lead', name: 'Grace Lead', email: 'grace@example.test', role: 'governance_lead', managerId: null },
  ceo: { id: 'p-ceo', name: 'Tess Top', email: 'tess@example.test', role: 'management', managerId: null },
  admin: { id: 'p-admin', name: 'Ada Admin', email: 'ada@example.test', role: 'admin', managerId: null },
  peer: { id: 'p-peer', name: 'Pat Peer', email: 'pat@example.test', role: 'owner', managerId: 'p-manager' },
} satisfies Record<string, Person>;

export const actor = (p: Person) => ({ personId: p.id, role: p.role });

export interface WorkflowTestContext {
  env: TestWorkflowEnvironment;
  ports: InMemoryPorts;
  worker: Worker;
  taskQueue: string;
  stop(): Promise<void>;
}

/** Worker logs at WARN and above (AIMS_TEST_LOG_LEVEL=INFO to see more). */
function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger(testEnv.workerLogLevel) });
  } catch {
    // Already installed in this module registry: keep it.
  }
}

export async function startWorkflowTestContext(name: string): Promise<WorkflowTestContext> {
  quietRuntime();
  const env = await createTimeSkippingEnv();
  const ports = createInMemoryPorts({ people: Object.values(PEOPLE) });
  const taskQueue = `test-${name}`;
  let worker: Worker;
  try {
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      activities: createActivities(ports),
    });
  } catch (err) {
    await env.teardown(); // never leave a test server behind
    throw err;
  }
  const running = worker.run();
  return {
    env,
    ports,
    worker,
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/** The refusal type of a failed Update (validator rejection), or the error itself if something else. */
export async function refusalOf(p: Promise<unknown>): Promise<{ type: string | undefined; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      return { type: err.cause.type ?? undefined, message: err.cause.message };
    }
    throw err;
  }
  throw new Error('expected the update to be refused, but it was accepted');
}

/** A minor nonconformity from an audit finding: the owner acts on every step, the peer verifies, the lead opened it. */
export function auditFindingInput(
  nonconformityId: string,
  finding: { ref: string; title: string; description: string },
  over: Partial<CorrectiveActionInput> = {},
): CorrectiveActionInput {
  return {
    nonconformityId,
    title: finding.title,
    description: finding.description,
    grade: 'minor',
    source: { type: 'audit-finding', ref: finding.ref },
    actionOwnerId: PEOPLE.owner.id,
    containmentOwnerId: PEOPLE.owner.id,
    rootCauseOwnerId: PEOPLE.owner.id,
    verifierId: PEOPLE.peer.id,
    openedBy: PEOPLE.lead.id,
    plan: correctiveActionPlan('minor'),
    ...over,
  };
}

/** A call that should be refused: what it is, the call, the refusal type, and what its message says. */
export type Refusal = [what: string, call: () => Promise<unknown>, type: string, message: RegExp];

/** Each call is refused as expected, and the workflow's state (`state()`) is as it was, still running. */
export async function expectRefusedUnchanged(handle: WorkflowHandle, state: () => Promise<unknown>, refusals: Refusal[]): Promise<void> {
  const before = await state();
  for (const [what, call, type, message] of refusals) {
    const refusal = await refusalOf(call());
    expect({ what, type: refusal.type }).toEqual({ what, type });
    expect(refusal.message).toMatch(message);
  }
  expect(await state()).toEqual(before);
  expect((await handle.describe()).status.name).toBe('RUNNING');
}

export const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Temporal timers fire at, never before, their time; the time-skipping server lets a few ms
 * of real processing time pass between setting a timer and its start. So a step "at T"
 * happens in [T, T + TIMER_SLACK_MS).
 */
export const TIMER_SLACK_MS = 2_000;

/** Milliseconds `at` (ISO) is after `expectedMs`; use with toBeOnTime. */
export function lateness(at: string, expectedMs: number): number {
  return Date.parse(at) - expectedMs;
}

export function onTime(at: string | undefined, expectedMs: number, slackMs = TIMER_SLACK_MS): boolean {
  if (!at) return false;
  const late = lateness(at, expectedMs);
  return late >= 0 && late < slackMs;
}

/** Polls `get` until `ok` holds (for work a workflow does asynchronously, e.g. starting a child). */
export async function eventually<T>(get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Advances workflow time to `ms` (absolute), letting timers and activities run. */
export async function sleepUntil(env: TestWorkflowEnvironment, ms: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (ms > now) await env.sleep(ms - now);
}
