/**
 * The management dashboard: this quarter's coverage of high-risk reviews and AI impact
 * assessments (goal 100%), overdue work by owner and escalation level, incident report
 * timeliness and mean times, open nonconformities by age and step, and the audit programme's
 * coverage. Charts where a picture reads faster; every number is also written out.
 */
import { query } from '../api/client';
import type { AuditProgrammeSummary, CycleRow, IncidentReport, NonconformityReport, OverdueReport, Page as ApiPage } from '../api/types';
import { BarChart, CoverageFigure } from '../components/charts';
import { Loaded, Page, TableScroll } from '../components/page';
import { useApi } from '../hooks';
import { ESCALATION_LEVELS, kindLabel, levelLabel, words } from '../labels';
import { Link, paths } from '../router';
import { currentQuarter, currentYear, formatInstant } from '../time';

/** Short names of the escalation levels, for a chart's rows. */
const LEVEL_SHORT: Record<string, string> = {
  owner: 'Not escalated',
  manager: 'Manager',
  governance_lead: 'Governance lead',
  top_management: 'Top management',
};

const pct = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 10 : null);

export function DashboardPage() {
  const cycles = useApi<CycleRow[]>('/status/cycles');
  const overdue = useApi<OverdueReport>('/status/overdue');
  const incidents = useApi<IncidentReport>('/status/incidents');
  const ncs = useApi<NonconformityReport>('/status/nonconformities');
  const programmes = useApi<ApiPage<AuditProgrammeSummary>>(`/audit-programmes${query({ limit: 5 })}`);
  return (
    <Page title="Dashboard" lead={<p>Where the AI management system stands now.</p>}>
      <section aria-labelledby="coverage-heading">
        <h2 id="coverage-heading">Coverage</h2>
        <Loaded state={cycles} what="the cycle status">
          {(rows) => <Coverage rows={rows} />}
        </Loaded>
      </section>
      <section aria-labelledby="overdue-heading">
        <h2 id="overdue-heading">Overdue work</h2>
        <Loaded state={overdue} what="the overdue work">
          {(r) => <Overdue report={r} />}
        </Loaded>
      </section>
      <section aria-labelledby="incidents-heading">
        <h2 id="incidents-heading">Incidents</h2>
        <Loaded state={incidents} what="the incident figures">
          {(r) => <Incidents report={r} />}
        </Loaded>
      </section>
      <section aria-labelledby="ncs-heading">
        <h2 id="ncs-heading">Open nonconformities</h2>
        <Loaded state={ncs} what="the nonconformity figures">
          {(r) => <Nonconformities report={r} />}
        </Loaded>
      </section>
      <section aria-labelledby="audit-heading">
        <h2 id="audit-heading">Internal audit programme</h2>
        <Loaded state={programmes} what="the audit programmes">
          {(p) => <AuditProgramme programmes={p.items} />}
        </Loaded>
      </section>
    </Page>
  );
}

function Coverage({ rows }: { rows: CycleRow[] }) {
  const quarter = currentQuarter();
  const year = currentYear();
  const review = rows.find((r) => r.kind === 'high-risk-review' && r.period === quarter);
  // The year's AIIAs: the yearly round of this year and the event-driven ones (go-live, initial, after a change).
  const aiias = rows.filter((r) => r.kind === 'aiia' && (r.period === year || !/^\d{4}(-|$)/.test(r.period)));
  const aiiaApproved = aiias.reduce((n, r) => n + r.approved, 0);
  const aiiaExpected = aiias.reduce((n, r) => n + r.expected, 0);
  const recent = rows.filter((r) => r.period >= `${Number(year) - 1}` || !/^\d{4}/.test(r.period)).slice(0, 24);
  return (
    <>
      <div className="figure-row">
        <CoverageFigure
          title="High-risk reviews this quarter"
          percent={review ? review.coveragePercent : null}
          detail={
            review
              ? `${review.approved} of ${review.expected} approved in ${quarter}; ${review.submitted} submitted, ${review.open} open, ${review.overdue} overdue.`
              : `No high-risk system owes a review in ${quarter}.`
          }
        />
        <CoverageFigure
          title="AI impact assessments this year"
          percent={pct(aiiaApproved, aiiaExpected)}
          detail={
            aiiaExpected ? `${aiiaApproved} of ${aiiaExpected} approved (${year} and event-driven).` : `No assessment is owed in ${year}.`
          }
        />
      </div>
      {recent.length > 0 && (
        <TableScroll label="Cycles by kind and period">
          <table>
            <caption>Cycles by kind and period</caption>
            <thead>
              <tr>
                <th scope="col">Work</th>
                <th scope="col">Period</th>
                <th scope="col">Open</th>
                <th scope="col">Submitted</th>
                <th scope="col">Approved</th>
                <th scope="col">Overdue</th>
                <th scope="col">Coverage</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((r) => (
                <tr key={`${r.kind}:${r.period}`}>
                  <th scope="row">{kindLabel(r.kind)}</th>
                  <td>{r.period}</td>
                  <td>{r.open}</td>
                  <td>{r.submitted}</td>
                  <td>{r.approved}</td>
                  <td>{r.overdue}</td>
                  <td>
                    {r.coveragePercent}% <span className="hint">of {r.expected}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

function Overdue({ report }: { report: OverdueReport }) {
  const count = (level: number) => report.byLevel.find((l) => l.escalationLevel === level)?.count ?? 0;
  const tones = ['neutral', 'warn', 'bad', 'bad'] as const;
  return (
    <>
      <p>
        <strong>{report.total}</strong> {report.total === 1 ? 'piece' : 'pieces'} of work overdue as of {formatInstant(report.asOf)}.
      </p>
      <BarChart
        title="Overdue work by escalation level"
        bars={ESCALATION_LEVELS.map((l, i) => ({
          label: LEVEL_SHORT[l] ?? l,
          value: count(i),
          tone: tones[i],
        }))}
      />
      {report.byOwner.length > 0 && (
        <TableScroll label="Overdue work by owner">
          <table>
            <caption>Overdue work by owner</caption>
            <thead>
              <tr>
                <th scope="col">Owner</th>
                <th scope="col">Overdue</th>
                <th scope="col">Highest escalation</th>
                <th scope="col">Oldest due</th>
                <th scope="col">Work</th>
              </tr>
            </thead>
            <tbody>
              {report.byOwner.map((o) => (
                <tr key={o.ownerId}>
                  <th scope="row">{o.ownerName ?? o.ownerEmail ?? o.ownerId}</th>
                  <td>{o.total}</td>
                  <td>
                    {o.highestEscalationLevel === 0
                      ? 'Not escalated'
                      : `Level ${o.highestEscalationLevel}: ${levelLabel(ESCALATION_LEVELS[o.highestEscalationLevel] ?? '')}`}
                  </td>
                  <td>
                    <time dateTime={o.oldestDueAt}>{formatInstant(o.oldestDueAt)}</time>
                  </td>
                  <td>
                    <ul className="plain">
                      {o.tasks.slice(0, 5).map((t) => (
                        <li key={t.taskId}>
                          <Link to={paths.task(t.taskId)}>{t.title}</Link> <span className="hint">({t.daysOverdue} d)</span>
                        </li>
                      ))}
                      {o.tasks.length > 5 && <li className="hint">and {o.tasks.length - 5} more</li>}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

function hours(h: number | null): string {
  if (h === null) return 'no data yet';
  return h >= 48 ? `${(h / 24).toFixed(1)} days` : `${h.toFixed(1)} hours`;
}

function Incidents({ report }: { report: IncidentReport }) {
  const s = report.open.byClockState;
  const m = report.meanHoursFromDetection;
  const { onTime, late, percent } = report.reportsWithin72h;
  return (
    <>
      <div className="figure-row">
        <CoverageFigure
          title="Draft reports within 72 hours"
          percent={percent}
          detail={onTime + late ? `${onTime} of ${onTime + late} draft reports on time.` : 'No draft report has fallen due yet.'}
        />
        <BarChart
          title={`Open incidents by clock (${report.open.total} open)`}
          bars={[
            { label: 'Breached', value: s.breached, tone: 'bad' },
            { label: 'Due soon', value: s['due-soon'], tone: 'warn' },
            { label: 'On track', value: s['on-track'], tone: 'good' },
            { label: 'Reports in', value: s['reports-in'], tone: 'neutral' },
          ]}
        />
      </div>
      {[m.toAcknowledge, m.toContain, m.toClose].some((x) => x.hours !== null) && (
        <BarChart
          title="Mean hours from detection"
          unit=" h"
          bars={[
            { label: 'To acknowledge', value: m.toAcknowledge.hours ?? 0 },
            { label: 'To contain', value: m.toContain.hours ?? 0 },
            { label: 'To close', value: m.toClose.hours ?? 0 },
          ]}
        />
      )}
      <ul className="plain">
        <li>
          Mean time to acknowledge: {hours(m.toAcknowledge.hours)} ({m.toAcknowledge.incidents} incidents)
        </li>
        <li>
          Mean time to contain: {hours(m.toContain.hours)} ({m.toContain.incidents} incidents)
        </li>
        <li>
          Mean time to close: {hours(m.toClose.hours)} ({m.toClose.incidents} incidents)
        </li>
      </ul>
      <p>
        <Link to={paths.incidents}>See the open incidents</Link>
      </p>
    </>
  );
}

function Nonconformities({ report }: { report: NonconformityReport }) {
  return (
    <>
      <p>
        <strong>{report.open}</strong> open, {report.closed} closed
        {report.oldestOpenAgeDays !== null && `; the oldest open for ${report.oldestOpenAgeDays} days`}.
      </p>
      <div className="figure-row">
        <BarChart
          title="Open nonconformities by age"
          bars={report.byAge.map((b, i) => ({ label: b.bucket, value: b.count, tone: i >= 2 ? 'bad' : i === 1 ? 'warn' : 'neutral' }))}
        />
        {report.byStep.length > 0 && (
          <BarChart title="Open nonconformities by step" bars={report.byStep.map((b) => ({ label: words(b.step), value: b.count }))} />
        )}
      </div>
    </>
  );
}

function AuditProgramme({ programmes }: { programmes: AuditProgrammeSummary[] }) {
  const latest = programmes[0];
  if (!latest) return <p className="empty">No internal audit programme has opened yet.</p>;
  const c = latest.coverage;
  return (
    <div className="figure-row">
      <CoverageFigure
        title={`Audit programme ${latest.period} coverage`}
        percent={c.criteria ? c.percent : null}
        detail={
          c.criteria
            ? `${c.audited} of ${c.criteria} criteria audited; ${latest.openCorrectiveActions} corrective actions open. Programme ${words(latest.state)}.`
            : `Not planned yet (programme ${words(latest.state)}).`
        }
      />
      {c.notAudited.length > 0 && (
        <div>
          <h3>Not audited yet</h3>
          <p className="hint">
            {c.notAudited.slice(0, 30).join(', ')}
            {c.notAudited.length > 30 && ` and ${c.notAudited.length - 30} more`}
          </p>
        </div>
      )}
    </div>
  );
}
