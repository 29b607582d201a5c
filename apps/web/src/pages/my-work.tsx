/** My work: the signed-in person's open and submitted tasks, earliest due first, with time left and the ladder's next step. */
import { query } from '../api/client';
import type { Page as ApiPage, TaskView } from '../api/types';
import { Fact, Loaded, Page } from '../components/page';
import { Due, EscalationBadge, NextStep, StateBadge } from '../components/task-bits';
import { useApi } from '../hooks';
import { kindLabel } from '../labels';
import { Link, paths } from '../router';
import { useMe } from '../session';
import { useNow } from '../time';

export function MyWorkPage() {
  const me = useMe();
  const open = useApi<ApiPage<TaskView>>(`/tasks${query({ ownerId: me.id, state: 'open', limit: 200 })}`);
  const submitted = useApi<ApiPage<TaskView>>(`/tasks${query({ ownerId: me.id, state: 'submitted', limit: 200 })}`);
  const now = useNow(30_000);
  return (
    <Page title="My work" lead={<p>Work you own that is still owed, earliest due first. Times are in the organisation's time zone.</p>}>
      <section aria-labelledby="open-work">
        <h2 id="open-work">Open work</h2>
        <Loaded state={open} what="your open work">
          {(page) => <TaskList tasks={page.items} now={now} empty="Nothing open. You are up to date." label="Open work" />}
        </Loaded>
      </section>
      <section aria-labelledby="submitted-work">
        <h2 id="submitted-work">Submitted, awaiting approval</h2>
        <Loaded state={submitted} what="your submitted work">
          {(page) => <TaskList tasks={page.items} now={now} empty="Nothing waiting for approval." label="Submitted work" />}
        </Loaded>
      </section>
    </Page>
  );
}

export function TaskList({ tasks, now, empty, label }: { tasks: TaskView[]; now: number; empty: string; label: string }) {
  if (!tasks.length) return <p className="empty">{empty}</p>;
  return (
    <ul className="cards" aria-label={label}>
      {tasks.map((t) => (
        <li key={t.taskId}>
          <TaskCard task={t} now={now} />
        </li>
      ))}
    </ul>
  );
}

function TaskCard({ task, now }: { task: TaskView; now: number }) {
  const id = `task-${task.taskId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const overdue = Date.parse(task.dueAt) < now;
  return (
    <article className={`card task-card${overdue ? ' is-overdue' : ''}`} aria-labelledby={id}>
      <h3 id={id}>
        <Link to={paths.task(task.taskId)}>{task.title}</Link>
      </h3>
      <p className="meta">
        {kindLabel(task.kind)} · {task.subject.name} <StateBadge task={task} />
      </p>
      <dl className="facts">
        <Fact term="Due">
          <Due task={task} now={now} />
        </Fact>
        <Fact term="Escalation">
          <EscalationBadge level={task.escalationLevel} />
        </Fact>
        <Fact term="Next step">
          <NextStep task={task} now={now} />
        </Fact>
      </dl>
    </article>
  );
}
