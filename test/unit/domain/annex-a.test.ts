import { ANNEX_A, ANNEX_A_CONTROLS, CONTROL_ID_PATTERN, initialSoaEntry, isAnnexAControl, soaEntryProblems } from '../../../libs/domain';

it('holds the 38 controls of Annex A under objectives A.2-A.10, in the standard numbering', () => {
  expect(ANNEX_A.map((o) => o.id)).toEqual(['A.2', 'A.3', 'A.4', 'A.5', 'A.6', 'A.7', 'A.8', 'A.9', 'A.10']);
  expect(ANNEX_A.map((o) => o.controls.length)).toEqual([3, 2, 5, 4, 9, 5, 4, 3, 3]);
  expect(ANNEX_A_CONTROLS).toHaveLength(38);
  expect(new Set(ANNEX_A_CONTROLS.map((c) => c.id)).size).toBe(38);
  for (const c of ANNEX_A_CONTROLS) {
    expect(c.id.startsWith(`${c.objectiveId}.`)).toBe(true);
    expect(new RegExp(CONTROL_ID_PATTERN).test(c.id)).toBe(true);
  }
  expect(ANNEX_A_CONTROLS.find((c) => c.id === 'A.6.2.8')).toMatchObject({
    title: 'AI system recording of event logs',
    objectiveId: 'A.6',
  });
});

it('tells a malformed control id from an unknown one', () => {
  const shape = new RegExp(CONTROL_ID_PATTERN);
  for (const ok of ['A.2.2', 'A.10.4', 'A.6.1.2']) expect([shape.test(ok), isAnnexAControl(ok)]).toEqual([true, true]);
  for (const unknown of ['A.2.9', 'A.9.1', 'A.6.3.1']) expect([shape.test(unknown), isAnnexAControl(unknown)]).toEqual([true, false]);
  for (const bad of ['A.1.2', 'A.11.2', 'B.2.2', 'A.2', 'a.2.2', 'A.2.2.', 'A.2.02', 'A.6.1.2.3']) expect(shape.test(bad)).toBe(false);
});

it('refuses an exclusion without a justification, and nothing else', () => {
  const base = initialSoaEntry('A.7.5');
  expect(soaEntryProblems(base)).toEqual([]);
  expect(soaEntryProblems({ ...base, applicability: 'applicable' })).toEqual([]);
  for (const justification of [null, '', '   ']) {
    expect(soaEntryProblems({ ...base, applicability: 'excluded', justification })).toEqual([
      { field: 'justification', message: 'justification is required to exclude A.7.5' },
    ]);
  }
  expect(soaEntryProblems({ ...base, applicability: 'excluded', justification: 'We acquire no data from third parties' })).toEqual([]);
});
