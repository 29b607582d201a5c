/** The policy register's rules: the 30 calendar days of a review, "reviewed or revised", version labels and document links, review ids. */
import { parsePolicyReviewTaskId, policyReviewTaskId, policyReviewWorkflowId } from '../../../libs/contracts';
import { isHttpUrl, policyReviewDueAt, policyReviewOutcome, policyVersionProblem } from '../../../libs/domain';

const current = { version: '1.0', documentUrl: 'https://docs.example.test/p-1.0.pdf' };

test('a review is due 30 calendar days after it opens, at the same local time across a DST change', () => {
  // 10 March 2031 00:00 CET -> 9 April 2031 00:00 CEST (summer time from 30 March).
  expect(policyReviewDueAt(new Date('2031-03-09T23:00:00Z'), 'Europe/Amsterdam').toISOString()).toBe('2031-04-08T22:00:00.000Z');
  expect(policyReviewDueAt(new Date('2031-01-31T12:00:00Z'), 'UTC').toISOString()).toBe('2031-03-02T12:00:00.000Z');
});

test('the version in force is "reviewed"; another one is "revised"; a new document needs a new version', () => {
  expect(policyReviewOutcome(current, { newVersion: '1.0' })).toEqual({ outcome: 'reviewed' });
  expect(policyReviewOutcome(current, { newVersion: ' 1.0 ', documentUrl: current.documentUrl })).toEqual({ outcome: 'reviewed' });
  expect(policyReviewOutcome(current, { newVersion: '2.0', documentUrl: 'https://docs.example.test/p-2.0.pdf' })).toEqual({
    outcome: 'revised',
  });
  expect(policyReviewOutcome(current, { newVersion: '1.0', documentUrl: 'https://docs.example.test/other.pdf' })).toMatchObject({
    problem: { field: 'documentUrl' },
  });
  expect(policyReviewOutcome(current, { newVersion: '2.0', documentUrl: 'ftp://x.test/p' })).toMatchObject({
    problem: { field: 'documentUrl' },
  });
  expect(policyReviewOutcome(current, { newVersion: '' })).toMatchObject({ problem: { field: 'newVersion' } });
});

test('versions are short single lines; documents are http(s) URLs', () => {
  expect(policyVersionProblem('2026-03 draft 2')).toBeUndefined();
  for (const bad of ['', '  ', 'x'.repeat(51), 'a\nb', undefined]) expect(policyVersionProblem(bad)).toBeDefined();
  expect(isHttpUrl('https://intranet.example.com/ai-policy.pdf')).toBe(true);
  expect(isHttpUrl('http://localhost:8080/p')).toBe(true);
  for (const bad of ['mailto:x@example.test', 'file:///etc/passwd', 'not a url', 42]) expect(isHttpUrl(bad)).toBe(false);
});

test("a policy review's task id reads back to its review", () => {
  const id = '3f6c2a1e-0000-4000-8000-000000000000';
  for (const key of ['2026', '2026-07', 'major-change-3']) {
    expect(parsePolicyReviewTaskId(policyReviewTaskId(id, key))).toEqual({ policyId: id, key, reviewId: policyReviewWorkflowId(id, key) });
  }
  expect(policyReviewTaskId(id, 'major-change-1')).toBe(`policy-review:${id}:major-change-1`);
  expect(policyReviewWorkflowId(id, '2026')).toBe(`policy:${id}:review:2026`);
  for (const bad of [`policy-review:${id}:someday`, `aiia:${id}:2026`, 'policy-review:nope:2026'])
    expect(parsePolicyReviewTaskId(bad)).toBeUndefined();
});
