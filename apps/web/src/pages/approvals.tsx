/**
 * Approvals: submitted work the signed-in person may approve (GET /tasks/awaiting-approval,
 * which leaves out their own), approved or rejected inline.
 */
import { useState } from 'react';
import { query } from '../api/client';
import type { Page as ApiPage, TaskView } from '../api/types';
import { Fact, Loaded, Notice, Page } from '../components/page';
import { Due, EvidenceLinks } from '../components/task-bits';
import { SubmittedAnswers } from '../components/work-form';
import { nameOf, useApi, useForm, usePeople } from '../hooks';
import { kindLabel } from '../labels';
import { Link, paths } from '../router';
import { formatInstant, useNow } from '../time';
import { ApprovalForms, changeMessage } from './task';

export function ApprovalsPage() {
  const list = useApi<ApiPage<TaskView>>(`/tasks/awaiting-approval${query({ limit: 200 })}`);
  const [decided, setDecided] = useState<Record<string, TaskView>>({});
  const now = useNow(30_000);
  return (
    <Page title="Approvals" lead={<p>Submitted work waiting for your decision. Your own submissions never appear here.</p>}>
      <Loaded state={list} what="the work awaiting approval">
        {(page) => {
          const items = page.items;
          if (!items.length) return <p className="empty">Nothing is waiting for your approval.</p>;
          return (
            <ul className="cards" aria-label="Awaiting approval">
              {items.map((t) => (
                <li key={t.taskId}>
                  <ApprovalCard
                    task={decided[t.taskId] ?? t}
                    now={now}
                    onDecided={(d) => setDecided((m) => ({ ...m, [t.taskId]: { ...t, ...d } }))}
                  />
                </li>
              ))}
            </ul>
          );
        }}
      </Loaded>
    </Page>
  );
}

/** The answers labelled by their form. */
function Answers({ task }: { task: TaskView }) {
  const form = useForm(task.submission?.form.kind ?? task.formKind);
  return task.submission ? <SubmittedAnswers submission={task.submission} form={form ?? undefined} /> : null;
}

function ApprovalCard({ task, now, onDecided }: { task: TaskView; now: number; onDecided(t: TaskView): void }) {
  const people = usePeople();
  const id = `approval-${task.taskId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <article className="card" aria-labelledby={id}>
      <h2 id={id} className="card-title">
        <Link to={paths.task(task.taskId)}>{task.title}</Link>
      </h2>
      <p className="meta">
        {kindLabel(task.kind)} · {task.subject.name}
      </p>
      <dl className="facts">
        <Fact term="Submitted">
          by {nameOf(people, task.submittedBy)}, <time dateTime={task.submittedAt}>{formatInstant(task.submittedAt)}</time>
        </Fact>
        <Fact term="Due">
          <Due task={task} now={now} />
        </Fact>
      </dl>
      <details>
        <summary>Summary and evidence</summary>
        <p className="pre">{task.summary}</p>
        {task.submission && <Answers task={task} />}
        <EvidenceLinks urls={task.evidenceUrls} />
      </details>
      {task.state === 'submitted' ? (
        <ApprovalForms task={task} onChanged={onDecided} compact />
      ) : (
        <Notice kind="success">
          <p>{changeMessage(task)}</p>
        </Notice>
      )}
    </article>
  );
}
