/**
 * The contract is the validator: the OpenAPI document is completed from what the API
 * actually enforces, in one place, so no DTO has to repeat its class-validator rules in
 * `@ApiProperty`:
 *  - body DTOs (every component schema built from a validated class): formats (uuid, email,
 *    uri), patterns, lengths, ranges, integer types, enums, `additionalProperties: false`
 *    (the pipe forbids unknown fields); a trimmed required text must hold a non-blank character;
 *  - query DTOs (the parameters Swagger explodes them into): the same rules per parameter;
 *  - path parameters read through `ParseUUIDPipe` (`UuidPipe`): `format: uuid`;
 *  - every operation with input documents the 400 validation answer (and 413 with a body), every
 *    error answer a schema (the 401/403 come from `AuthenticatedController` and `Roles`);
 *  - `methodNotAllowed` answers 405 with `Allow` for a method a known path lacks.
 */
import { INestApplication, ParseUUIDPipe } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { ParameterObject, ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { getMetadataStorage } from 'class-validator';

// class-transformer's @Transform metadata (not in its public types).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transformStorage = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformStorage }).defaultMetadataStorage;
interface TransformStorage {
  findTransformMetadatas(target: unknown, property: string, type: number): unknown[];
}

/** The bits of Express the 405 handler uses. */
interface Req {
  method: string;
  path: string;
}
interface Res {
  status(code: number): Res;
  set(name: string, value: string): Res;
  json(body: unknown): void;
}

type Schema = SchemaObject & { nullable?: boolean };
type Ctor = abstract new (...args: never[]) => unknown;

/** The class-validator rules of a class, per property (inherited ones included). */
interface Rule {
  name: string;
  constraints: unknown[];
  /** `{ each: true }`: the rule applies to every element of an array. */
  each: boolean;
}

function rulesOf(cls: Ctor): Map<string, Rule[]> {
  const storage = getMetadataStorage();
  const byProp = new Map<string, Rule[]>();
  for (const m of storage.getTargetValidationMetadatas(cls as never, '', true, false)) {
    const name = m.type === 'customValidation' ? (storage.getTargetValidatorConstraints(m.constraintCls)[0]?.name ?? '') : m.type;
    const list = byProp.get(m.propertyName) ?? [];
    list.push({ name, constraints: (m.constraints as unknown[] | undefined) ?? [], each: !!m.each });
    byProp.set(m.propertyName, list);
  }
  return byProp;
}

function hasTransform(cls: Ctor, property: string): boolean {
  // 0 = PLAIN_TO_CLASS
  return transformStorage.findTransformMetadatas(cls, property, 0).length > 0;
}

const STRING_RULES = new Set(['isString', 'isUuid', 'isEmail', 'isUrl', 'matches', 'minLength', 'maxLength', 'isLength']);

const MIN_PROPERTIES = Symbol('aims:openapi:minProperties');

/** A body class refused when empty (`at least one field to change`): `minProperties: 1` in its schema. */
export function MinProperties(n: number): ClassDecorator {
  return (target) => Reflect.defineMetadata(MIN_PROPERTIES, n, target);
}

/** Applies one property's rules to its schema (in place). */
function applyRules(target: Schema, rules: Rule[], trimmed: boolean): void {
  for (const { name, constraints: c, each } of rules) {
    const items = target.items && !isRef(target.items) ? (target.items as Schema) : undefined;
    if (each && !items) continue;
    const schema = each ? items! : target;
    // A `string | null` property reaches Swagger as `Object`: the rules say it is a string.
    if (STRING_RULES.has(name) && (schema.type === undefined || (schema.type === 'object' && !schema.properties))) schema.type = 'string';
    switch (name) {
      case 'isUuid':
        schema.format = 'uuid';
        break;
      case 'isEmail':
        schema.format = 'email';
        break;
      case 'isUrl':
        schema.format = 'uri';
        if (!schema.pattern) schema.pattern = '^https?://';
        break;
      case 'isInt':
        schema.type = 'integer';
        break;
      case 'isBoolean':
        schema.type = 'boolean';
        break;
      case 'min':
        schema.minimum = Math.max(schema.minimum ?? -Infinity, c[0] as number);
        break;
      case 'max':
        schema.maximum = Math.min(schema.maximum ?? Infinity, c[0] as number);
        break;
      case 'minLength':
        schema.minLength = Math.max(schema.minLength ?? 0, c[0] as number);
        break;
      case 'maxLength':
        schema.maxLength = Math.min(schema.maxLength ?? Infinity, c[0] as number);
        break;
      case 'isLength':
        schema.minLength = Math.max(schema.minLength ?? 0, c[0] as number);
        if (typeof c[1] === 'number') schema.maxLength = Math.min(schema.maxLength ?? Infinity, c[1]);
        break;
      case 'isNotEmpty':
        if (schema.type === 'string' || schema.type === undefined) {
          schema.minLength = Math.max(schema.minLength ?? 0, 1);
          // A trimmed text must keep a character once trimmed.
          if (trimmed && !schema.pattern) schema.pattern = '\\S';
        }
        break;
      case 'matches':
        // An explicit (possibly tighter, e.g. a date-time's ranges) pattern wins.
        if (schema.pattern) break;
        if (c[0] instanceof RegExp) schema.pattern = c[0].source;
        else if (typeof c[0] === 'string') schema.pattern = c[0];
        break;
      case 'isIn':
        if (Array.isArray(c[0]) && !schema.enum) schema.enum = c[0] as unknown[];
        break;
      case 'isEnum':
        if (!schema.enum && c[0] && typeof c[0] === 'object') schema.enum = Object.values(c[0] as object);
        break;
      default:
        break;
    }
  }
  if (trimmed) trimmedLength(target);
  withoutNul(target);
}

/** NUL as a pattern escape: the validation pipe refuses it in every body and query field. */
const NUL = '\\u0000';

/**
 * Says in the schema that a free text refuses NUL (the pipe's rule, `fieldsWithNul`): a string
 * with no pattern gets one without NUL, a trimmed text's `\S` one that keeps a non-blank
 * character and no NUL; enums, formats and the DTOs' own patterns (their characters are
 * listed) say it already. Array items too.
 */
function withoutNul(schema: Schema): void {
  const items = schema.items && !isRef(schema.items) ? (schema.items as Schema) : undefined;
  if (items) withoutNul(items);
  if (schema.type !== 'string' || schema.enum || schema.format) return;
  if (schema.pattern === undefined) schema.pattern = `^[^${NUL}]*$`;
  else if (schema.pattern === '\\S') schema.pattern = `^[^${NUL}]*[^\\s${NUL}][^${NUL}]*$`;
}

/** What String.prototype.trim() removes (JS WhiteSpace and LineTerminator), spelled out: engines differ on `\s`. */
const WS = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/**
 * A trimmed text's lengths count after the trim, so a raw value may carry surrounding
 * whitespace beyond `maxLength`: say so with a pattern (the core starts and ends with a
 * non-blank character and holds at most `maxLength` characters) instead of the raw lengths.
 */
function trimmedLength(schema: Schema): void {
  if (schema.type !== 'string' || schema.maxLength === undefined) return;
  if (schema.pattern !== undefined && schema.pattern !== '\\S') return; // a real pattern already
  const max = schema.maxLength;
  const required = (schema.minLength ?? 0) >= 1;
  if ((schema.minLength ?? 0) > 1) return; // not used by the DTOs: keep the raw lengths
  const core = max === 1 ? `[^${WS}${NUL}]` : `[^${WS}${NUL}]([^${NUL}]{0,${max - 2}}[^${WS}${NUL}])?`;
  schema.pattern = required ? `^[${WS}]*${core}[${WS}]*$` : `^[${WS}]*(${core})?[${WS}]*$`;
  delete schema.maxLength;
  delete schema.minLength;
  schema.description = `${schema.description ? `${schema.description} ` : ''}(at most ${max} characters once trimmed)`;
}

function isRef(s: unknown): s is ReferenceObject {
  return !!s && typeof s === 'object' && '$ref' in s;
}

/** Completes a DTO's component schema from its class. */
function completeComponent(schema: Schema, cls: Ctor): void {
  const rules = rulesOf(cls);
  if (!rules.size) return; // not a validated input class (a view)
  schema.additionalProperties = false;
  const minProperties = Reflect.getMetadata(MIN_PROPERTIES, cls) as number | undefined;
  if (minProperties !== undefined) schema.minProperties = minProperties;
  for (const [prop, propRules] of rules) {
    const p = schema.properties?.[prop];
    if (!p || isRef(p)) continue;
    if ((p as Schema).allOf) continue;
    applyRules(p as Schema, propRules, hasTransform(cls, prop));
  }
}

interface RouteArg {
  index: number;
  data?: unknown;
  pipes?: unknown[];
}

interface Route {
  operationId: string;
  paramtypes: unknown[];
  args: Record<string, RouteArg>;
}

function routesOf(app: INestApplication): { routes: Route[]; classes: Map<string, Ctor> } {
  const routes: Route[] = [];
  const classes = new Map<string, Ctor>();
  const seen = new Set<unknown>();
  const remember = (t: unknown) => {
    if (typeof t === 'function' && t.name && !classes.has(t.name)) classes.set(t.name, t as Ctor);
  };
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as (new (...a: never[]) => unknown) | null;
      if (!ctrl || seen.has(ctrl)) continue;
      seen.add(ctrl);
      const proto = ctrl.prototype as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(proto)) {
        const fn = proto[key];
        if (key === 'constructor' || typeof fn !== 'function' || Reflect.getMetadata(PATH_METADATA, fn) === undefined) continue;
        if (Reflect.getMetadata(METHOD_METADATA, fn) === undefined) continue;
        const paramtypes = (Reflect.getMetadata('design:paramtypes', proto, key) as unknown[] | undefined) ?? [];
        paramtypes.forEach(remember);
        routes.push({
          operationId: `${ctrl.name}_${key}`,
          paramtypes,
          args: (Reflect.getMetadata(ROUTE_ARGS_METADATA, ctrl, key) as Record<string, RouteArg> | undefined) ?? {},
        });
      }
    }
  }
  return { routes, classes };
}

const VALIDATION_ERROR = 'ValidationErrorBody';
const ERROR = 'ErrorBody';

/** Completes `document` (in place) from the app's validators, pipes and guards; returns it. */
export function completeDocument(app: INestApplication, document: OpenAPIObject): OpenAPIObject {
  const { routes, classes } = routesOf(app);
  const schemas = (document.components ??= {}).schemas ?? (document.components.schemas = {});
  // Nested DTOs (a provider object) are components too; find their classes through the
  // class-validator storage of the classes we know.
  for (const [name, schema] of Object.entries(schemas)) {
    const cls = classes.get(name) ?? findNestedClass(name, classes);
    if (cls && !isRef(schema)) completeComponent(schema as Schema, cls);
  }
  schemas[ERROR] ??= {
    type: 'object',
    required: ['statusCode', 'error', 'message'],
    properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
  };
  schemas[VALIDATION_ERROR] ??= {
    type: 'object',
    // `errors` names the fields; a body that is not JSON at all has none.
    required: ['statusCode', 'error', 'message'],
    properties: {
      statusCode: { type: 'integer', enum: [400] },
      error: { type: 'string' },
      message: { type: 'string' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['field', 'messages'],
          properties: { field: { type: 'string' }, messages: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
  };

  const byId = new Map(routes.map((r) => [r.operationId, r]));
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (!op) continue;
      const route = op.operationId ? byId.get(op.operationId) : undefined;
      const params = (op.parameters ?? []).filter((p): p is ParameterObject => !isRef(p));
      if (route) {
        for (const arg of Object.entries(route.args)) {
          const [key, { index, data, pipes }] = arg;
          const type = Number(key.split(':')[0]);
          if (type === RouteParamtypes.PARAM && typeof data === 'string') {
            const p = params.find((x) => x.in === 'path' && x.name === data);
            if (p && pipes?.some((pipe) => pipe instanceof ParseUUIDPipe)) {
              p.schema = { ...(p.schema as Schema), type: 'string', format: 'uuid' };
            }
          } else if (type === RouteParamtypes.QUERY && data === undefined) {
            const cls = route.paramtypes[index];
            if (typeof cls !== 'function') continue;
            const rules = rulesOf(cls as Ctor);
            for (const p of params.filter((x) => x.in === 'query')) {
              const propRules = rules.get(p.name);
              if (propRules && p.schema && !isRef(p.schema)) applyRules(p.schema as Schema, propRules, hasTransform(cls as Ctor, p.name));
            }
          }
        }
      }
      const hasInput = params.length > 0 || !!op.requestBody;
      if (op.requestBody && !op.responses?.['413']) {
        (op.responses ??= {})['413'] = { description: 'The body is larger than the server reads (100 kB)' };
      }
      op.responses ??= {};
      if (hasInput && !op.responses['400']) {
        op.responses['400'] = {
          description: 'Refused input: the fields and why',
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${VALIDATION_ERROR}` } } },
        };
      }
      for (const [code, response] of Object.entries(op.responses)) {
        if (Number(code) >= 400 && response && !isRef(response) && !response.content) {
          const ref = code === '400' ? VALIDATION_ERROR : ERROR;
          response.content = { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } };
        }
      }
    }
  }
  return document;
}

function findNestedClass(name: string, known: Map<string, Ctor>): Ctor | undefined {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, unknown[]> };
  for (const target of storage.validationMetadatas.keys()) {
    if (typeof target === 'function' && target.name === name) {
      known.set(name, target as Ctor);
      return target as Ctor;
    }
  }
  return undefined;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * An Express handler answering 405 with `Allow` for a method the document does not declare
 * on a path it knows (HEAD goes with GET). Register it before the routes.
 */
export function methodNotAllowed(document: OpenAPIObject): (req: Req, res: Res, next: () => void) => void {
  const known = Object.entries(document.paths).map(([template, item]) => {
    const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
    const methods = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    return { re, methods, literal: !template.includes('{') };
  });
  return (req, res, next) => {
    const url = req.path;
    const all = known.filter((k) => k.re.test(url));
    // A path the document names as it is (/systems/import) is that path, not an {id} of /systems/{id}.
    const literal = all.filter((k) => k.literal);
    const matches = literal.length ? literal : all;
    if (!matches.length) return next();
    const allowed = [...new Set(matches.flatMap((m) => m.methods))];
    if (allowed.includes(req.method)) return next();
    res
      .status(405)
      .set('Allow', allowed.join(', '))
      .json({
        statusCode: 405,
        error: 'Method Not Allowed',
        message: `${req.method} is not allowed on ${url}; allowed: ${allowed.join(', ')}`,
      });
  };
}
