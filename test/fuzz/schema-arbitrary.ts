import fc from 'fast-check';
import type { JsonSchema } from './openapi-operations';
import { INJECTIONS, UNICODE_EDGES } from './hostile-values';

/**
 * fast-check arbitraries for a JSON schema of the OpenAPI document: `validValue` stays inside the
 * schema (boundaries included), `hostileValue` is anything a client could send instead.
 */

const SIMPLE_CLASS = /^\^\[([^\]]+)\][+*]\$$/;

/** The characters of a one-class pattern such as `^[A-Za-z0-9._-]+$`. */
function classCharacters(body: string): string[] {
  const chars: string[] = [];
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i] === '\\' ? body[++i] : body[i];
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const end = body[i + 2] === '\\' ? body[i + 3] : body[i + 2];
      for (let code = c.charCodeAt(0); code <= end.charCodeAt(0); code += 1)
        chars.push(String.fromCharCode(code));
      i += body[i + 2] === '\\' ? 3 : 2;
    } else chars.push(c);
  }
  return chars;
}

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  if (schema.type) return schema.type;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  if (schema.enum) return typeof schema.enum[0];
  return undefined;
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as string[]));
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? Math.max(min, 40), 4096);
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'date')
    return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (schema.pattern) {
    const simple = SIMPLE_CLASS.exec(schema.pattern);
    if (simple) {
      const unit = fc.constantFrom(...classCharacters(simple[1]));
      const lengths = fc.oneof(
        fc.constant(Math.max(min, 1)),
        fc.constant(max),
        fc.integer({ min: Math.max(min, 1), max: Math.min(max, Math.max(min, 1) + 40) }),
      );
      return lengths.chain((length) => fc.string({ unit, minLength: length, maxLength: length }));
    }
    try {
      // The pattern alone decides the length unless the schema bounds it: a default bound would make
      // a fixed-length pattern such as `^[A-Za-z0-9_-]{43}$` unsatisfiable and the filter spin forever.
      const matching = fc.stringMatching(new RegExp(schema.pattern));
      if (schema.minLength === undefined && schema.maxLength === undefined) return matching;
      return matching.filter((s) => s.length >= min && s.length <= max);
    } catch {
      // a pattern JavaScript cannot compile: fall through to plain strings
    }
  }
  return fc.oneof(
    fc.string({ minLength: min, maxLength: Math.min(max, min + 40) }),
    fc.string({ minLength: max, maxLength: max }),
  );
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1_000_000;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
  const inside = integer
    ? fc.integer({ min, max })
    : fc.oneof(fc.integer({ min, max }), fc.double({ min, max, noNaN: true }));
  return fc.oneof(fc.constant(min), fc.constant(max), inside);
}

/** A value inside the schema. Optional properties come and go; boundaries are favoured. */
export function validValue(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices?.length) return fc.oneof(...choices.map((s) => validValue(s, depth + 1)));
  if (schema.allOf?.length) return validValue(Object.assign({}, ...schema.allOf) as JsonSchema, depth + 1);
  const nullable = schema.nullable || (Array.isArray(schema.type) && schema.type.includes('null'));
  const base = ((): fc.Arbitrary<unknown> => {
    switch (typeOf(schema)) {
      case 'string':
        return stringArbitrary(schema);
      case 'integer':
        return numberArbitrary(schema, true);
      case 'number':
        return numberArbitrary(schema, !/\./.test(String(schema.minimum ?? '')));
      case 'boolean':
        return fc.boolean();
      case 'array': {
        if (depth > 6) return fc.constant([]);
        const maxLength = Math.min(schema.maxItems ?? 5, 20);
        return fc.array(validValue(schema.items ?? {}, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength,
        });
      }
      case 'object': {
        if (depth > 6) return fc.constant({});
        const required = new Set(schema.required ?? []);
        const entries = Object.entries(schema.properties ?? {});
        return fc.record(Object.fromEntries(entries.map(([k, v]) => [k, validValue(v, depth + 1)])), {
          requiredKeys: entries.map(([k]) => k).filter((k) => required.has(k)),
        });
      }
      default:
        return fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean());
    }
  })();
  return nullable ? fc.option(base, { nil: null, freq: 5 }) : base;
}

/** Huge strings: at, just over and far over any length limit (still under the 64 KiB body limit). */
export function hugeString(schema: JsonSchema = {}): fc.Arbitrary<string> {
  const max = schema.maxLength ?? 1024;
  return fc.oneof(
    fc.constant('a'.repeat(max + 1)),
    fc.constant('\u{20BB7}'.repeat(Math.ceil((max + 1) / 2))),
    fc.integer({ min: 1_000, max: 60_000 }).map((n) => 'x'.repeat(n)),
  );
}

/** Anything but a well-typed value: other JSON types, unicode edges, injections, huge strings. */
export function hostileValue(schema: JsonSchema = {}): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, -0, [], {}, [null], { $gt: '' }),
    fc.constantFrom(...UNICODE_EDGES),
    fc.constantFrom(...INJECTIONS),
    fc
      .array(fc.constantFrom(...UNICODE_EDGES), { minLength: 1, maxLength: 6 })
      .map((parts) => parts.join('')),
    hugeString(schema),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.jsonValue({ maxDepth: 3 }),
  );
}

/** A string for a query or path value: a valid value of the schema, a boundary, or hostile text. */
export function parameterText(schema: JsonSchema): fc.Arbitrary<string> {
  const type = typeOf(schema);
  const boundaries: string[] =
    type === 'number' || type === 'integer'
      ? [
          String(schema.minimum ?? 0),
          String(schema.maximum ?? 0),
          String((schema.minimum ?? 0) - 1),
          String((schema.maximum ?? 0) + 1),
          '1.5',
          '1e2',
          '-0',
          ' 5',
          '5 ',
          '0x10',
          '',
          'NaN',
          'Infinity',
          '99999999999999999999999',
        ]
      : ['', 'a'.repeat(schema.maxLength ?? 200), 'a'.repeat((schema.maxLength ?? 200) + 1)];
  return fc.oneof(
    { weight: 4, arbitrary: validValue(schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) },
    { weight: 2, arbitrary: fc.constantFrom(...boundaries) },
    {
      weight: 3,
      arbitrary: hostileValue(schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
    },
  );
}
