import {
  AIMS_CLAUSES,
  ANNEX_A_CONTROLS,
  auditCriteria,
  AuditUniverse,
  CLAUSE_ID_PATTERN,
  CRITERIA_EVIDENCED_BY,
  criterionTitle,
  findingsByGrade,
  findingsProblems,
  isAimsClause,
  kindsEvidencing,
  nonconformityGradeOf,
  planProblems,
  planShapeProblems,
  PlannedAudit,
  TASK_KINDS,
} from '../../../libs/domain';

const DUE = '2026-10-01T00:00:00.000Z';
const NOW = new Date('2026-09-01T00:00:00Z');
const CLAUSES = ['4', '5', '6', '7', '8', '9', '10'];

function universe(over: Partial<AuditUniverse> = {}): AuditUniverse {
  return {
    criteria: auditCriteria(new Map([['5', 'p-lead']]), [
      { controlId: 'A.6.2.4', ownerId: 'p-owner' },
      { controlId: 'A.8.4', ownerId: null },
    ]),
    people: [
      { id: 'p-aud', name: 'Aude', active: true },
      { id: 'p-owner', name: 'Olivia', active: true },
      { id: 'p-lead', name: 'Grace', active: true },
      { id: 'p-gone', name: 'Gone', active: false },
    ],
    submittedWork: [],
    ...over,
  };
}

const all = (auditorId = 'p-aud'): PlannedAudit => ({ auditorId, criteria: [...CLAUSES, 'A.6.2.4', 'A.8.4'], dueAt: DUE });

it('holds clauses 4-10 of ISO/IEC 42001 in its own numbering and titles', () => {
  expect(AIMS_CLAUSES.map((c) => `${c.id} ${c.title}`)).toEqual([
    '4 Context of the organization',
    '5 Leadership',
    '6 Planning',
    '7 Support',
    '8 Operation',
    '9 Performance evaluation',
    '10 Improvement',
  ]);
  const shape = new RegExp(CLAUSE_ID_PATTERN);
  for (const c of CLAUSES) expect([shape.test(c), isAimsClause(c)]).toEqual([true, true]);
  for (const bad of ['3', '11', '04', '9.2', 'A.2.2', '']) expect([bad, shape.test(bad), isAimsClause(bad)]).toEqual([bad, false, false]);
  expect(criterionTitle('A.6.2.4')).toBe('AI system verification and validation');
  expect(criterionTitle('9')).toBe('Performance evaluation');
  expect(criterionTitle('A.99.1')).toBeUndefined();
});

it('makes the criteria every clause 4-10 and every applicable control, in order, with their owners', () => {
  const c = universe().criteria;
  expect(c.map((x) => x.id)).toEqual([...CLAUSES, 'A.6.2.4', 'A.8.4']);
  expect(c.find((x) => x.id === '5')).toEqual({ id: '5', title: 'Leadership', type: 'clause', ownerId: 'p-lead' });
  expect(c.find((x) => x.id === '4')?.ownerId).toBeNull();
  expect(c.find((x) => x.id === 'A.6.2.4')).toEqual({
    id: 'A.6.2.4',
    title: 'AI system verification and validation',
    type: 'control',
    ownerId: 'p-owner',
  });
  // Controls in the standard's order, whatever order the SoA gives them in.
  const reversed = auditCriteria(
    new Map(),
    [...ANNEX_A_CONTROLS].reverse().map((x) => ({ controlId: x.id, ownerId: null })),
  );
  expect(reversed.slice(7).map((x) => x.id)).toEqual(ANNEX_A_CONTROLS.map((x) => x.id));
});

it('grades findings; only minor and major nonconformities raise a corrective action', () => {
  expect(nonconformityGradeOf('conformity')).toBeUndefined();
  expect(nonconformityGradeOf('observation')).toBeUndefined();
  expect(nonconformityGradeOf('minor-nonconformity')).toBe('minor');
  expect(nonconformityGradeOf('major-nonconformity')).toBe('major');
  expect(findingsByGrade([{ grade: 'conformity' }, { grade: 'conformity' }, { grade: 'major-nonconformity' }])).toEqual({
    conformity: 2,
    'minor-nonconformity': 0,
    'major-nonconformity': 1,
    observation: 0,
  });
});

it('maps submitted work to the criteria it evidences, with known task kinds and criteria only', () => {
  for (const [kind, criteria] of Object.entries(CRITERIA_EVIDENCED_BY)) {
    expect((TASK_KINDS as readonly string[]).includes(kind)).toBe(true);
    for (const c of criteria!) expect([c, criterionTitle(c) !== undefined]).toEqual([c, true]);
  }
  expect(kindsEvidencing('8')).toEqual(['aiia']);
  expect(kindsEvidencing('A.8.4').sort()).toEqual(['incident-report', 'regulatory-report']);
  expect(kindsEvidencing('10').sort()).toEqual(['corrective-action-step', 'management-review', 'management-review-action']);
  expect(kindsEvidencing('4')).toEqual([]);
});

it('accepts a plan that covers every criterion with independent auditors', () => {
  expect(planProblems([all()], universe())).toEqual([]);
  // Split across auditors, a criterion in two audits too.
  expect(
    planProblems(
      [
        { auditorId: 'p-aud', criteria: ['4', '5', '6', 'A.6.2.4'], dueAt: DUE },
        { auditorId: 'p-owner', criteria: ['6', '7', '8', '9', '10', 'A.8.4'], dueAt: DUE },
      ],
      universe(),
    ),
  ).toEqual([]);
});

it('names each criterion the plan leaves out', () => {
  const problems = planProblems([{ auditorId: 'p-aud', criteria: ['4', '5', '6', '7', '8', '9', 'A.8.4'], dueAt: DUE }], universe());
  expect(problems).toEqual([
    { code: 'missing-criterion', criterionId: '10', message: 'clause 10 (Improvement) is not covered by any audit' },
    {
      code: 'missing-criterion',
      criterionId: 'A.6.2.4',
      message: 'A.6.2.4 (AI system verification and validation) is not covered by any audit',
    },
  ]);
});

it('refuses unknown criteria: neither clause nor control, or a control the SoA does not hold applicable', () => {
  const problems = planProblems([{ ...all(), criteria: [...all().criteria, 'A.99.1', 'A.7.5'] }], universe());
  expect(problems.map((p) => [p.code, p.criterionId, p.message])).toEqual([
    ['unknown-criterion', 'A.99.1', 'A.99.1 is neither a clause 4-10 nor an Annex A control'],
    [
      'unknown-criterion',
      'A.7.5',
      'A.7.5 (Data provenance) is not an audit criterion of this programme: the SoA does not hold it applicable',
    ],
  ]);
});

it('refuses unknown and deactivated auditors', () => {
  expect(planProblems([all('p-nobody')], universe()).map((p) => [p.code, p.message])).toEqual([
    ['unknown-auditor', 'audit 1: auditor p-nobody does not exist'],
  ]);
  expect(planProblems([all('p-gone')], universe()).map((p) => [p.code, p.message])).toEqual([
    ['inactive-auditor', 'audit 1: auditor Gone (p-gone) is deactivated'],
  ]);
});

it('refuses an auditor who owns a control or a clause they audit', () => {
  expect(planProblems([all('p-owner')], universe())).toEqual([
    {
      code: 'owner',
      criterionId: 'A.6.2.4',
      auditorId: 'p-owner',
      message: 'audit 1: Olivia (p-owner) owns A.6.2.4 and may not audit it',
    },
  ]);
  expect(planProblems([all('p-lead')], universe()).map((p) => [p.code, p.criterionId])).toEqual([['owner', '5']]);
});

it('refuses an auditor who submitted, in the period, work that evidences a criterion they audit', () => {
  const u = universe({
    submittedWork: [
      { taskId: 'incident-report:i-1:draft', kind: 'incident-report', submittedBy: 'p-aud' },
      { taskId: 'aiia:s-1:2026', kind: 'aiia', submittedBy: 'p-other' },
    ],
  });
  expect(planProblems([all()], u)).toEqual([
    {
      code: 'submitter',
      criterionId: 'A.8.4',
      auditorId: 'p-aud',
      message: 'audit 1: Aude (p-aud) submitted incident-report:i-1:draft (incident-report), which evidences A.8.4, and may not audit it',
    },
  ]);
  // Work that evidences nothing the auditor audits is no bar.
  expect(
    planProblems(
      [
        { auditorId: 'p-aud', criteria: CLAUSES, dueAt: DUE },
        { auditorId: 'p-owner', criteria: ['A.8.4'], dueAt: DUE },
        { auditorId: 'p-lead', criteria: ['A.6.2.4'], dueAt: DUE },
      ],
      u,
    ),
  ).toEqual([]);
});

it('checks the shape of a plan before reading anything', () => {
  expect(planShapeProblems([all()], NOW)).toEqual([]);
  expect(planShapeProblems([], NOW)).toEqual(['a plan needs at least one audit']);
  expect(planShapeProblems(undefined, NOW)).toEqual(['a plan needs at least one audit']);
  expect(
    planShapeProblems(
      [
        { auditorId: '', criteria: [], dueAt: 'soon' },
        { auditorId: 'p-aud', criteria: ['4', '4'], dueAt: '2026-08-31T00:00:00Z' },
      ],
      NOW,
    ),
  ).toEqual([
    'audit 1 needs an auditorId',
    'audit 1 needs a list of criteria',
    'audit 1 needs a dueAt instant',
    'audit 2 names a criterion twice',
    'audit 2 is due at 2026-08-31T00:00:00Z, which is not in the future',
  ]);
});

it('wants exactly one finding per criterion of the audit, graded, with a summary', () => {
  const ok = (criterionId: string) => ({ criterionId, grade: 'conformity', summary: 'fine' });
  expect(findingsProblems(['4', 'A.8.4'], [ok('4'), ok('A.8.4')])).toEqual([]);
  expect(findingsProblems(['4'], [])).toEqual(['findings are required, one per criterion of the audit']);
  expect(findingsProblems(['4', 'A.8.4'], [ok('4')])).toEqual(['no finding for A.8.4: every criterion of the audit needs exactly one']);
  expect(findingsProblems(['4'], [ok('4'), ok('4')])).toEqual(['4 has 2 findings; it needs exactly one']);
  expect(findingsProblems(['4'], [ok('4'), ok('5')])).toEqual(['5 is not a criterion of this audit (4)']);
  expect(findingsProblems(['4'], [{ criterionId: '4', grade: 'fine', summary: ' ', evidenceUrls: 'x' }])).toEqual([
    'the finding on 4 needs a grade: one of conformity, minor-nonconformity, major-nonconformity, observation',
    'the finding on 4 needs a summary',
    'the evidenceUrls of the finding on 4 must be a list of strings',
  ]);
});
