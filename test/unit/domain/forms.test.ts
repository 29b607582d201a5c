/** validateAnswers: a submission's answers against its form, every problem at once, by field. */
import { FormDefinition, FORMS, submissionShapeProblems, validateAnswers } from '../../../libs/domain';
import { validAnswers } from '../../support/form-answers';

const form: FormDefinition = {
  kind: 'high-risk-review',
  version: 3,
  title: 'A form with one field of each type',
  fields: [
    { name: 'note', label: 'Note', type: 'text', required: true, maxLength: 5 },
    { name: 'story', label: 'Story', type: 'textarea', required: false },
    {
      name: 'level',
      label: 'Level',
      type: 'select',
      required: true,
      options: [
        { value: 'low', label: 'Low' },
        { value: 'high', label: 'High' },
      ],
    },
    {
      name: 'groups',
      label: 'Groups',
      type: 'multiselect',
      required: false,
      min: 1,
      max: 2,
      options: [
        { value: 'a', label: 'A' },
        { value: 'b', label: 'B' },
        { value: 'c', label: 'C' },
      ],
    },
    { name: 'checked', label: 'Checked', type: 'boolean', required: true },
    { name: 'score', label: 'Score', type: 'number', required: false, min: 0, max: 10 },
    { name: 'on', label: 'On', type: 'date', required: false },
    { name: 'links', label: 'Links', type: 'urls', required: false, max: 2 },
  ],
};

const fields = (answers: unknown) => validateAnswers(form, answers).map((p) => p.field);

describe('validateAnswers', () => {
  it('accepts answers that fit, optional fields left out, null or blank as not given', () => {
    expect(validateAnswers(form, { note: 'ok', level: 'low', checked: false })).toEqual([]);
    expect(
      validateAnswers(form, {
        note: ' five ',
        story: 'x'.repeat(10_000),
        level: 'high',
        groups: ['a', 'c'],
        checked: true,
        score: 0,
        on: '2028-02-29',
        links: ['https://wiki.example.com/review', 'http://intranet/x?y=1#z'],
      }),
    ).toEqual([]);
    expect(validateAnswers(form, { note: 'ok', level: 'low', checked: true, story: null, score: null, groups: [], on: '  ' })).toEqual([]);
  });

  it('names every missing required field, with its label', () => {
    expect(validateAnswers(form, {})).toEqual([
      { field: 'answers.note', message: 'answers.note is required (Note)' },
      { field: 'answers.level', message: 'answers.level is required (Level)' },
      { field: 'answers.checked', message: 'answers.checked is required (Checked)' },
    ]);
    // A blank text is no answer to a required one.
    expect(fields({ note: '   ', level: 'low', checked: true })).toEqual(['answers.note']);
  });

  it('refuses each answer of the wrong type, all at once', () => {
    expect(
      validateAnswers(form, {
        note: 7,
        story: ['not', 'a', 'text'],
        level: 'medium',
        groups: 'a',
        checked: 'yes',
        score: '5',
        on: '2026-02-30',
        links: 'https://example.com',
      }),
    ).toEqual([
      { field: 'answers.note', message: 'answers.note must be a text' },
      { field: 'answers.story', message: 'answers.story must be a text' },
      { field: 'answers.level', message: 'answers.level must be one of low, high' },
      { field: 'answers.groups', message: 'answers.groups must be a list of values among a, b, c' },
      { field: 'answers.checked', message: 'answers.checked must be true or false' },
      { field: 'answers.score', message: 'answers.score must be a number' },
      { field: 'answers.on', message: 'answers.on must be a calendar date YYYY-MM-DD' },
      { field: 'answers.links', message: 'answers.links must be a list of http(s) URLs' },
    ]);
  });

  it('holds min, max and maxLength', () => {
    const base = { note: 'ok', level: 'low', checked: true };
    expect(validateAnswers(form, { ...base, note: 'sixsix' })).toEqual([
      { field: 'answers.note', message: 'answers.note must be at most 5 characters' },
    ]);
    expect(validateAnswers(form, { ...base, score: -1 })[0].message).toBe('answers.score must be at least 0');
    expect(validateAnswers(form, { ...base, score: 10.5 })[0].message).toBe('answers.score must be at most 10');
    expect(validateAnswers(form, { ...base, groups: ['a', 'b', 'c'] })[0].message).toBe('answers.groups takes at most 2 choices');
    expect(validateAnswers(form, { ...base, groups: ['a', 'a'] })[0].message).toBe('answers.groups must not name a value twice');
    expect(validateAnswers(form, { ...base, links: ['https://a.example', 'https://b.example', 'https://c.example'] })[0].message).toBe(
      'answers.links takes at most 2 URLs',
    );
    // A textarea without maxLength holds at most 10000 characters.
    expect(fields({ ...base, story: 'x'.repeat(10_001) })).toEqual(['answers.story']);
    expect(fields({ ...base, score: Number.POSITIVE_INFINITY })).toEqual(['answers.score']);
  });

  it('takes only http(s) links', () => {
    const base = { note: 'ok', level: 'low', checked: true };
    for (const bad of [
      'ftp://files.example.com/x',
      'javascript:alert(1)',
      'wiki/page',
      'https://',
      `https://example.com/${'x'.repeat(2000)}`,
      42,
    ])
      expect(validateAnswers(form, { ...base, links: [bad] })).toEqual([
        { field: 'answers.links', message: 'answers.links must hold only http(s) URLs of at most 2000 characters (item 0 is not one)' },
      ]);
  });

  it('refuses answers to fields the form does not have, naming them', () => {
    expect(validateAnswers(form, { note: 'ok', level: 'low', checked: true, colour: 'red' })).toEqual([
      {
        field: 'answers.colour',
        message:
          'answers.colour is not a field of the high-risk-review form (version 3); its fields: note, story, level, groups, checked, score, on, links',
      },
    ]);
  });

  it('refuses answers that are not an object, and names fields under another prefix', () => {
    for (const bad of [null, [], 'text', 3])
      expect(validateAnswers(form, bad)).toEqual([
        { field: 'answers', message: "answers must be an object of the answers to the high-risk-review form's fields" },
      ]);
    expect(validateAnswers(form, { level: 'low', checked: true }, 'findings.2.answers').map((p) => p.field)).toEqual([
      'findings.2.answers.note',
    ]);
  });

  it("the built-in forms' required fields: a review without its four areas and conclusion names each", () => {
    expect(validateAnswers(FORMS['high-risk-review'], {}).map((p) => p.field)).toEqual([
      'answers.performance',
      'answers.performanceFinding',
      'answers.contextOfUse',
      'answers.contextFinding',
      'answers.newThreats',
      'answers.threatsFinding',
      'answers.dataDrift',
      'answers.driftFinding',
      'answers.conclusion',
    ]);
    expect(validateAnswers(FORMS.aiia, {}).map((p) => p.field)).toEqual([
      'answers.intendedUse',
      'answers.affectedGroups',
      'answers.impactsOnIndividuals',
      'answers.impactsOnGroups',
      'answers.societalImpacts',
      'answers.severity',
      'answers.likelihood',
      'answers.mitigations',
      'answers.residualRisk',
      'answers.transparency',
      'answers.humanOversight',
    ]);
  });

  it('the test helper builds valid answers for every built-in form', () => {
    for (const f of Object.values(FORMS)) expect(validateAnswers(f, validAnswers(f.kind))).toEqual([]);
  });
});

describe('submissionShapeProblems (what a workflow checks)', () => {
  it('accepts { form: { kind, version }, answers } of the expected kind', () => {
    expect(submissionShapeProblems({ form: { kind: 'aiia', version: 1 }, answers: {} }, 'aiia')).toEqual([]);
    expect(submissionShapeProblems({ form: { kind: 'aiia', version: 2 }, answers: { a: 1 } })).toEqual([]);
  });

  it('names what is malformed', () => {
    expect(submissionShapeProblems('x')).toEqual(['the submission must be an object { form: { kind, version }, answers }']);
    expect(submissionShapeProblems({ form: { kind: 'aiia', version: 0 }, answers: [] }, 'high-risk-review')).toEqual([
      'submission.form.kind is "aiia", but this work is submitted with the high-risk-review form',
      'submission.form.version must be a positive integer',
      'submission.answers must be an object',
    ]);
    expect(submissionShapeProblems({ answers: {} })).toEqual([
      'submission.form.kind must name the form',
      'submission.form.version must be a positive integer',
    ]);
  });
});
