/**
 * The search attributes' registration and the worker's start-up check, against a fake
 * OperatorService: what a fresh namespace gets, that a second run adds nothing, the test
 * server (no ListSearchAttributes), and the worker refusing a namespace that lacks them with
 * the command that adds them.
 */
import { checkSearchAttributes, MissingSearchAttributesError } from '../../apps/worker/search-attributes';
import { INDEXED_VALUE_TYPE, SEARCH_ATTRIBUTE_KEYS, searchAttributesCreateCommand, searchAttributeUpdates } from '../../libs/contracts';
import { devServerSearchAttributeArgs, ensureSearchAttributes } from '../../tools/stack/search-attributes';

const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

function fakeOperator(initial: Record<string, number> = {}, opts: { listCode?: number } = {}) {
  const attrs = { ...initial };
  const added: Array<Record<string, number>> = [];
  return {
    attrs,
    added,
    async listSearchAttributes() {
      if (opts.listCode !== undefined) throw grpcError(opts.listCode, 'list refused');
      return { customAttributes: { ...attrs } };
    },
    async addSearchAttributes({ searchAttributes }: { namespace: string; searchAttributes: Record<string, number> }) {
      added.push(searchAttributes);
      for (const name of Object.keys(searchAttributes)) if (name in attrs) throw grpcError(6, `Search attribute ${name} already exists.`);
      Object.assign(attrs, searchAttributes);
      return {};
    },
  };
}

const ALL = Object.fromEntries(SEARCH_ATTRIBUTE_KEYS.map((k) => [k.name, INDEXED_VALUE_TYPE[k.type]]));

describe('ensureSearchAttributes (dev server, test server)', () => {
  it('adds every attribute to a fresh namespace, and nothing the second time', async () => {
    const op = fakeOperator({ CustomKeywordField: 2 });
    expect(await ensureSearchAttributes(op, 'default')).toEqual(['AimsKind', 'AimsOwnerId', 'AimsSubjectId', 'AimsState', 'AimsDueAt']);
    expect(op.attrs).toEqual({ CustomKeywordField: 2, AimsKind: 2, AimsOwnerId: 2, AimsSubjectId: 2, AimsState: 2, AimsDueAt: 6 });
    expect(await ensureSearchAttributes(op, 'default')).toEqual([]);
    expect(op.added).toHaveLength(1);
  });

  it('adds only what an existing namespace lacks (a dev server restarted on an older .data/)', async () => {
    const op = fakeOperator({ AimsKind: 2, AimsOwnerId: 2 });
    expect(await ensureSearchAttributes(op, 'default')).toEqual(['AimsSubjectId', 'AimsState', 'AimsDueAt']);
  });

  it('adds them all where the server cannot list them (the time-skipping test server)', async () => {
    const op = fakeOperator({}, { listCode: 12 });
    expect(await ensureSearchAttributes(op, 'default')).toHaveLength(SEARCH_ATTRIBUTE_KEYS.length);
    expect(op.attrs).toEqual(ALL);
  });

  it('refuses a namespace holding one of them with another type', async () => {
    await expect(ensureSearchAttributes(fakeOperator({ AimsDueAt: 2 }), 'default')).rejects.toThrow(/AimsDueAt .*not DATETIME/);
  });

  it('gives the dev server one --search-attribute per attribute', () => {
    expect(devServerSearchAttributeArgs()).toEqual([
      '--search-attribute',
      'AimsKind=Keyword',
      '--search-attribute',
      'AimsOwnerId=Keyword',
      '--search-attribute',
      'AimsSubjectId=Keyword',
      '--search-attribute',
      'AimsState=Keyword',
      '--search-attribute',
      'AimsDueAt=Datetime',
    ]);
  });
});

describe("the worker's start-up check", () => {
  it('passes when the namespace has them all', async () => {
    const warn = jest.fn();
    await checkSearchAttributes(fakeOperator(ALL), 'default', warn);
    expect(warn).not.toHaveBeenCalled();
  });

  it('refuses to start without them and names the command that adds them', async () => {
    const err = await checkSearchAttributes(fakeOperator({ AimsKind: 2, AimsDueAt: 2 }), 'aims-prod', jest.fn()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingSearchAttributesError);
    const message = (err as Error).message;
    expect(message).toContain('missing AimsOwnerId (Keyword), AimsSubjectId (Keyword), AimsState (Keyword)');
    expect(message).toContain('AimsDueAt is registered with another type, not Datetime');
    expect(message).toContain(searchAttributesCreateCommand('aims-prod'));
    expect(searchAttributesCreateCommand('aims-prod')).toBe(
      'temporal operator search-attribute create --namespace aims-prod --name AimsKind --type Keyword --name AimsOwnerId --type Keyword ' +
        '--name AimsSubjectId --type Keyword --name AimsState --type Keyword --name AimsDueAt --type Datetime',
    );
  });

  it('warns and starts where it may not list them (permission denied), naming the command', async () => {
    const warn = jest.fn();
    await checkSearchAttributes(fakeOperator({}, { listCode: 7 }), 'default', warn);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(searchAttributesCreateCommand('default')));
  });

  it('fails on any other error (the server is unreachable): the worker would fail anyway', async () => {
    await expect(checkSearchAttributes(fakeOperator({}, { listCode: 14 }), 'default', jest.fn())).rejects.toThrow('list refused');
  });
});

describe('the values', () => {
  it('are ids and enums; a missing due time removes AimsDueAt', () => {
    const work = { kind: 'aiia', ownerId: 'p-1', subjectId: 's-1', state: 'open' };
    expect(searchAttributeUpdates({ ...work, dueAt: '2026-12-31T23:00:00.000Z' }).map((p) => [p.key.name, p.value])).toEqual([
      ['AimsKind', 'aiia'],
      ['AimsOwnerId', 'p-1'],
      ['AimsSubjectId', 's-1'],
      ['AimsState', 'open'],
      ['AimsDueAt', new Date('2026-12-31T23:00:00.000Z')],
    ]);
    expect(searchAttributeUpdates(work).at(-1)).toEqual({ key: { name: 'AimsDueAt', type: 'DATETIME' }, value: null });
  });
});
