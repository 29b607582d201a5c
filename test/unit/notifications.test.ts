/** libs/notifications: templates say what, when and what to do; Message-IDs are deterministic. */
import * as fs from 'fs';
import * as path from 'path';
import { NOTIFICATION_KINDS_FOR_TEST } from './notification-kinds';
import { formatDuration, formatInstant, messageIdFor, renderNotification, TemplateInput, timing } from '../../libs/notifications';

const taskId = 'high-risk-review:6f1c2d3e-0000-4000-8000-000000000001:2026-Q4';
const base: TemplateInput = {
  kind: 'remind',
  taskId,
  task: {
    kind: 'high-risk-review',
    title: 'High-risk review 2026-Q4: Credit scoring',
    subject: { type: 'ai-system', id: '6f1c2d3e-0000-4000-8000-000000000001', name: 'Credit scoring' },
    dueAt: '2026-10-31T00:00:00.000Z',
  },
  at: '2026-10-28T00:00:00.000Z',
  recipient: { name: 'Olivia Owner', level: 'owner' },
  owner: { name: 'Olivia Owner' },
  appUrl: 'https://aims.example.test',
};

describe('messageIdFor', () => {
  it('is deterministic, RFC 5322 shaped, and differs per key', () => {
    const a = messageIdFor('task/remind-due/olivia@example.test');
    expect(a).toBe(messageIdFor('task/remind-due/olivia@example.test'));
    expect(a).toMatch(/^<[0-9a-f]{32}@aims-orchestrator>$/);
    expect(messageIdFor('task/remind-due/max@example.test')).not.toBe(a);
  });
});

describe('formatting', () => {
  it('formats instants in UTC and durations in words', () => {
    expect(formatInstant('2026-10-31T00:00:00.000Z')).toBe('2026-10-31 00:00 UTC');
    expect(formatDuration(3 * 86_400_000)).toBe('3 days');
    expect(formatDuration(86_400_000 + 4 * 3_600_000)).toBe('1 day 4 hours');
    expect(formatDuration(5 * 3_600_000)).toBe('5 hours');
    expect(formatDuration(20 * 60_000)).toBe('20 minutes');
    expect(timing('2026-10-31T00:00:00Z', '2026-10-28T00:00:00Z')?.text).toBe('due in 3 days');
    expect(timing('2026-10-31T00:00:00Z', '2026-11-07T00:00:00Z')?.text).toBe('7 days overdue');
    expect(timing('2026-10-31T00:00:00Z', '2026-10-31T00:00:00Z')?.text).toBe('due now');
  });
});

describe('renderNotification', () => {
  it('a reminder names the work, its due date, how long is left, and how to submit', () => {
    const m = renderNotification(base);
    expect(m.subject).toBe('Reminder: High-risk review 2026-Q4: Credit scoring is due in 3 days');
    for (const body of [m.text, m.html]) {
      expect(body).toContain('2026-10-31 00:00 UTC');
      expect(body).toContain('due in 3 days');
      expect(body).toContain(`POST /tasks/${taskId}/submit`);
      expect(body).toContain('Olivia Owner');
    }
  });

  it.each(NOTIFICATION_KINDS_FOR_TEST)('%s: links to the page of the work, which holds no secret', (kind) => {
    const m = renderNotification({ ...base, kind });
    const page =
      kind === 'incident-opened'
        ? `https://aims.example.test/app/incidents/${base.task.subject.id}`
        : kind === 'prohibited-system'
          ? 'https://aims.example.test/app/inventory'
          : `https://aims.example.test/app/tasks/${encodeURIComponent(taskId)}`;
    expect(m.text).toContain(`Open it: ${page}`);
    expect(m.html).toContain(`<a href="${page}">`);
  });

  it('an escalation says whose work is overdue and by how much, and who was not reachable', () => {
    const m = renderNotification({
      ...base,
      kind: 'escalate',
      at: '2026-11-03T00:00:00.000Z',
      recipient: { name: 'Max Manager', level: 'manager' },
      unfilledLevels: ['governance_lead'],
    });
    expect(m.subject).toBe("Escalation: Olivia Owner's High-risk review 2026-Q4: Credit scoring is 3 days overdue");
    expect(m.text).toContain("the owner's manager");
    expect(m.text).toContain('It was due 2026-10-31 00:00 UTC');
    expect(m.text).toContain('Follow up with Olivia Owner');
    expect(m.text).toContain('not notified: governance lead (AIMS owner)');
  });

  it('cancelled tells the owner the work is no longer owed, why, and that nothing more will come', () => {
    const m = renderNotification({ ...base, kind: 'cancelled', note: 'the AI system Credit scoring was retired' });
    expect(m.subject).toBe('Cancelled: High-risk review 2026-Q4: Credit scoring');
    for (const body of [m.text, m.html]) {
      expect(body).toContain('no longer owed and has been cancelled');
      expect(body).toContain('Reason: the AI system Credit scoring was retired');
      expect(body).toContain('no more reminders or escalations');
      expect(body).toContain(taskId);
    }
    expect(m.text).not.toContain('POST /tasks');
  });

  it('escapes HTML', () => {
    const m = renderNotification({ ...base, kind: 'rejected', note: '<script>alert(1)</script> & more' });
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(m.text).toContain('<script>alert(1)</script> & more');
  });

  it.each(NOTIFICATION_KINDS_FOR_TEST)('%s: has a subject, text and HTML that mention the work', (kind) => {
    const m = renderNotification({ ...base, kind, note: 'because' });
    expect(m.subject.length).toBeGreaterThan(5);
    expect(m.text).toContain('Hello Olivia Owner,');
    expect(m.html).toContain('<p>Hello Olivia Owner,</p>');
    expect(m.text).toContain(kind === 'prohibited-system' ? 'Credit scoring' : 'High-risk review 2026-Q4: Credit scoring');
    if (['opened', 'remind', 'escalate', 'breach', 'rejected', 'reassigned'].includes(kind))
      expect(m.text).toContain('2026-10-31 00:00 UTC');
  });
});

describe('the actions an email points to', () => {
  it('are the task routes the API serves', () => {
    const controller = fs.readFileSync(path.join(__dirname, '../../apps/api/tasks/tasks.controller.ts'), 'utf8');
    const routes = [...controller.matchAll(/@Post\(':id\/([a-z-]+)'\)/g)].map((m: RegExpMatchArray) => m[1]).sort();
    const templates = fs.readFileSync(path.join(__dirname, '../../libs/notifications/templates.ts'), 'utf8');
    const linked = [...new Set([...templates.matchAll(/taskPath\(taskId, '([a-z-]+)'\)/g)].map((m: RegExpMatchArray) => m[1]))];
    expect(linked.length).toBeGreaterThan(0);
    for (const action of linked) expect(routes).toContain(action);
  });
});

describe('incident emails', () => {
  const incidentId = '7a0e1c2d-0000-4000-8000-0000000000a1';
  const title = 'Support chatbot disclosed customer data';
  const opened: TemplateInput = {
    kind: 'incident-opened',
    taskId: `incident:${incidentId}`,
    task: { kind: 'incident', title, subject: { type: 'incident', id: incidentId, name: title }, dueAt: '2026-11-23T09:00:00.000Z' },
    at: '2026-11-20T09:05:00.000Z',
    recipient: { name: 'Gina Lead', level: 'governance_lead' },
    owner: { name: 'Rita Responder' },
    note: 'System: Support chatbot. Severity: high.',
    appUrl: 'https://aims.example.test',
  };

  it('incident-opened names the incident, its responder and when the draft report is due', () => {
    const m = renderNotification(opened);
    expect(m.subject).toBe(`AI incident opened: ${title} (draft report due 2026-11-23 09:00 UTC)`);
    for (const body of [m.text, m.html]) {
      expect(body).toContain('Hello Gina Lead,');
      expect(body).toContain(title);
      expect(body).toContain('Rita Responder');
      expect(body).toContain('governance lead (AIMS owner)');
      expect(body).toContain('The draft incident report is due 2026-11-23 09:00 UTC, 72 hours after detection (due in 3 days)');
      expect(body).toContain('System: Support chatbot. Severity: high.');
      expect(body).toContain(`GET /incidents/${incidentId}`);
      expect(body).toContain(`https://aims.example.test/app/incidents/${incidentId}`);
    }
    expect(m.html).toContain('<p>Hello Gina Lead,</p>');
  });

  it('incident-opened without a draft deadline says nothing of one', () => {
    const m = renderNotification({ ...opened, task: { ...opened.task, dueAt: undefined } });
    expect(m.subject).toBe(`AI incident opened: ${title}`);
    expect(m.text).not.toContain('draft incident report is due');
    expect(m.text).toContain(title);
  });

  const reportTask: TemplateInput = {
    ...base,
    kind: 'opened',
    taskId: `regulatory-report:${incidentId}:gdpr-art33:notification`,
    task: {
      kind: 'regulatory-report',
      title: 'Breach notification',
      subject: { type: 'incident', id: incidentId, name: title },
      dueAt: '2026-11-23T09:00:00.000Z',
    },
    at: '2026-11-20T09:05:00.000Z',
  };

  it('work without approval is done when submitted: the opened email does not promise an approver', () => {
    const m = renderNotification({ ...reportTask, task: { ...reportTask.task, noApproval: true } });
    for (const body of [m.text, m.html]) {
      expect(body).toContain('It is done when you submit it.');
      expect(body).not.toContain('approves it');
    }
  });

  it('work with approval says someone else approves it', () => {
    for (const noApproval of [undefined, false]) {
      const m = renderNotification({ ...reportTask, task: { ...reportTask.task, noApproval } });
      expect(m.text).toContain('Someone other than you approves it.');
      expect(m.text).not.toContain('It is done when you submit it.');
    }
  });
});
