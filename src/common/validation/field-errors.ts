import { getMetadataStorage, type ValidationError } from 'class-validator';
import type { FieldError } from '../errors/domain.exception.js';

type Params = Record<string, string | number>;
type RuleOf = (args: unknown[]) => { rule: string; params?: Params };

const typeRule =
  (type: string): RuleOf =>
  () => ({ rule: 'type', params: { type } });

/** class-validator constraint names → message rules of src/common/i18n/messages.ts. */
const rules: Record<string, RuleOf> = {
  whitelistValidation: () => ({ rule: 'unknown' }),
  isDefined: () => ({ rule: 'required' }),
  isNotEmpty: () => ({ rule: 'required' }),
  isString: typeRule('string'),
  isBoolean: typeRule('boolean'),
  isInt: typeRule('integer'),
  isNumber: typeRule('number'),
  isObject: typeRule('object'),
  nestedValidation: typeRule('object'),
  isArray: typeRule('array'),
  isLength: ([min, max]) => ({ rule: 'length', params: { min: Number(min ?? 0), max: Number(max ?? 0) } }),
  maxLength: ([max]) => ({ rule: 'maxLength', params: { max: Number(max) } }),
  minLength: ([min]) => ({ rule: 'minLength', params: { min: Number(min) } }),
  matches: () => ({ rule: 'pattern' }),
  isIn: ([values]) => ({
    rule: 'enum',
    params: { values: Array.isArray(values) ? values.join(', ') : (undefined as unknown as string) },
  }),
  isEnum: ([, values]) => ({
    rule: 'enum',
    params: { values: Array.isArray(values) ? values.join(', ') : (undefined as unknown as string) },
  }),
  min: ([min]) => ({ rule: 'min', params: { min: Number(min) } }),
  max: ([max]) => ({ rule: 'max', params: { max: Number(max) } }),
  arrayMaxSize: ([max]) => ({ rule: 'arrayMaxSize', params: { max: Number(max) } }),
  arrayMinSize: ([min]) => ({ rule: 'arrayMinSize', params: { min: Number(min) } }),
  isIso8601: () => ({ rule: 'date' }),
  isISO8601: () => ({ rule: 'date' }),
  isUrl: () => ({ rule: 'url' }),
};

/** Flattens class-validator's tree into `{ field: "a.b", rule, params }`, one entry per field. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property || 'body';
    const constraintNames = Object.keys(error.constraints ?? {});
    if (constraintNames.length > 0) {
      out.push(firstRule(error, field, constraintNames));
    }
    if (error.children?.length) out.push(...toFieldErrors(error.children, field));
  }
  return out;
}

function firstRule(error: ValidationError, field: string, names: string[]): FieldError {
  // Report the most basic problem first: missing, then wrong type, then the finer rules.
  const order = ['whitelistValidation', 'isDefined', 'isNotEmpty'];
  const name = order.find((n) => names.includes(n)) ?? names[names.length - 1];
  const mapper = rules[name];
  if (!mapper) return { field, rule: 'invalid' };
  const { rule, params } = mapper(constraintArgs(error, name));
  // Without the decorator's arguments (e.g. a JSON array where an object was expected) a rule with
  // parameters would render holes: fall back to the generic message.
  if (params && Object.values(params).some((v) => v === undefined || Number.isNaN(v))) {
    return { field, rule: 'invalid' };
  }
  return { field, rule, params };
}

function constraintArgs(error: ValidationError, constraint: string): unknown[] {
  const target = error.target?.constructor;
  if (!target) return [];
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .find((m) => m.propertyName === error.property && m.name === constraint);
  return (metadata?.constraints as unknown[] | undefined) ?? [];
}
