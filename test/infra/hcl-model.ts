import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';

/**
 * A static model of terraform/: every .tf file parsed with a real HCL parser (@cdktf/hcl2json, the
 * HashiCorp HCL library compiled to WASM), grouped by directory (= terraform module), plus the
 * values the environment roots give (module arguments, terraform.tfvars). The policy checks in
 * policies.ts run over this model, so a test can also feed them a mutated copy.
 *
 * hcl2json shapes: `resource.<type>.<name>` and `variable.<name>` are arrays of bodies; nested
 * blocks are arrays of objects; expressions that are not literals are strings like "${var.x}".
 */

export type Body = Record<string, unknown>;

export interface TfResource {
  type: string;
  name: string;
  body: Body;
  /** terraform/-relative module directory, e.g. "modules/database". */
  module: string;
  file: string;
}

export interface TfVariable {
  name: string;
  body: Body;
  module: string;
  file: string;
}

export interface TfModuleCall {
  name: string;
  /** terraform/-relative directory of the called module. */
  source: string;
  args: Body;
  module: string;
  file: string;
}

export interface TfModule {
  dir: string;
  resources: TfResource[];
  /** Data sources, same shape as resources (e.g. aws_iam_policy_document). */
  data: TfResource[];
  variables: Record<string, TfVariable>;
  locals: Body;
  moduleCalls: TfModuleCall[];
  /** Assignments of every *.tfvars / *.tfvars.example file in the directory, by file. */
  tfvars: Record<string, Body>;
  /** `provider` blocks, by provider name (each name may appear more than once, e.g. with alias). */
  providers: Record<string, Body[]>;
  outputs: Record<string, Body>;
}

export interface TfModel {
  root: string;
  modules: Record<string, TfModule>;
}

export const TERRAFORM_ROOT = resolve(__dirname, '../../terraform');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

function emptyModule(dir: string): TfModule {
  return {
    dir,
    resources: [],
    data: [],
    variables: {},
    locals: {},
    moduleCalls: [],
    tfvars: {},
    providers: {},
    outputs: {},
  };
}

function asBodies(value: unknown): Body[] {
  return Array.isArray(value) ? (value as Body[]) : [];
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Parses every .tf and .tfvars file under `root`. Invalid HCL rejects (the parser's message names the file). */
export async function loadTerraform(root: string = TERRAFORM_ROOT): Promise<TfModel> {
  const modules: Record<string, TfModule> = {};
  const files = walk(root).filter((f) => /\.tf$|\.tfvars(\.example)?$/.test(f));
  for (const path of files) {
    const dir = relative(root, dirname(path));
    const file = relative(root, path);
    const mod = (modules[dir] ??= emptyModule(dir));
    const json = await parse(file, readFileSync(path, 'utf8'));

    if (!path.endsWith('.tf')) {
      mod.tfvars[file] = json;
      continue;
    }
    for (const [type, byName] of Object.entries(asRecord(json.resource))) {
      for (const [name, bodies] of Object.entries(asRecord(byName))) {
        for (const body of asBodies(bodies)) mod.resources.push({ type, name, body, module: dir, file });
      }
    }
    for (const [type, byName] of Object.entries(asRecord(json.data))) {
      for (const [name, bodies] of Object.entries(asRecord(byName))) {
        for (const body of asBodies(bodies)) mod.data.push({ type, name, body, module: dir, file });
      }
    }
    for (const [name, bodies] of Object.entries(asRecord(json.variable))) {
      const body = asBodies(bodies)[0] ?? {};
      mod.variables[name] = { name, body, module: dir, file };
    }
    for (const block of asBodies(json.locals)) Object.assign(mod.locals, block);
    for (const [name, bodies] of Object.entries(asRecord(json.module))) {
      for (const args of asBodies(bodies)) {
        const source = typeof args.source === 'string' ? relative(root, resolve(root, dir, args.source)) : '';
        mod.moduleCalls.push({ name, source, args, module: dir, file });
      }
    }
    for (const [name, bodies] of Object.entries(asRecord(json.output))) {
      mod.outputs[name] = asBodies(bodies)[0] ?? {};
    }
    for (const [name, bodies] of Object.entries(asRecord(json.provider))) {
      (mod.providers[name] ??= []).push(...asBodies(bodies));
    }
  }
  return { root, modules };
}

export function allResources(model: TfModel, type?: string): TfResource[] {
  return Object.values(model.modules)
    .flatMap((m) => m.resources)
    .filter((r) => type === undefined || r.type === type);
}

export function allData(model: TfModel, type: string): TfResource[] {
  return Object.values(model.modules)
    .flatMap((m) => m.data)
    .filter((r) => r.type === type);
}

/**
 * The value a root variable takes with one tfvars file: that file, else terraform.tfvars (the
 * failover files are applied on top of it), else the variable's default.
 */
export function effectiveRootValue(root: TfModule, file: string, name: string): unknown {
  const base = root.tfvars[`${root.dir}/terraform.tfvars`] ?? {};
  const layer = root.tfvars[file] ?? {};
  if (name in layer) return layer[name];
  if (name in base) return base[name];
  return root.variables[name]?.body.default;
}

export function envRoots(model: TfModel): TfModule[] {
  return Object.values(model.modules).filter((m) => m.dir.startsWith('envs/'));
}

export function where(r: { module: string; type?: string; name: string }): string {
  return r.type ? `${r.module}: ${r.type}.${r.name}` : `${r.module}: ${r.name}`;
}

/** First element of a nested block (hcl2json gives blocks as arrays). */
export function block(body: Body | undefined, name: string): Body | undefined {
  const value = body?.[name];
  if (Array.isArray(value)) return value[0] as Body | undefined;
  return value !== null && typeof value === 'object' ? (value as Body) : undefined;
}

export function blocks(body: Body | undefined, name: string): Body[] {
  const value = body?.[name];
  if (Array.isArray(value)) return value as Body[];
  return value !== null && typeof value === 'object' ? [value as Body] : [];
}

/** One value an expression can take, or why it cannot be known statically. */
export type Candidate = { value: unknown; via: string } | { unresolved: string; via: string };

// `var.x`, also wrapped in a type conversion that does not change the policy-relevant value.
const VAR_REF = /^\$\{(?:to(?:set|list|string|number)\()?var\.([A-Za-z0-9_-]+)\)?\}$/;

/**
 * Every value `raw` can take in module `dir`: a literal is itself; `var.x` is the variable's
 * default plus whatever each caller passes (module arguments in the roots, then the roots'
 * tfvars), followed recursively. Anything else (function calls, references to other resources) is
 * unresolved: a policy on a value it cannot see must fail rather than pass.
 */
export function candidates(model: TfModel, dir: string, raw: unknown, via = dir): Candidate[] {
  if (typeof raw !== 'string' || !raw.includes('${')) return [{ value: raw, via }];
  const ref = VAR_REF.exec(raw);
  if (!ref) return [{ unresolved: raw, via }];
  return variableCandidates(model, dir, ref[1]);
}

export function variableCandidates(model: TfModel, dir: string, name: string): Candidate[] {
  const mod = model.modules[dir];
  const variable = mod?.variables[name];
  if (!variable) return [{ unresolved: `var.${name} is not declared`, via: dir }];
  const out: Candidate[] = [];
  if ('default' in variable.body)
    out.push(...candidates(model, dir, variable.body.default, `${dir} default`));

  const callers = Object.values(model.modules).flatMap((m) => m.moduleCalls.filter((c) => c.source === dir));
  for (const call of callers) {
    if (name in call.args) {
      out.push(...candidates(model, call.module, call.args[name], `${call.module} module.${call.name}`));
    }
  }
  for (const [file, vars] of Object.entries(mod.tfvars)) {
    if (name in vars) out.push(...candidates(model, dir, vars[name], file));
  }
  if (out.length === 0) out.push({ unresolved: `var.${name} has no default and no value`, via: dir });
  return out;
}

/** Convenience: the candidates as plain values, with unresolved ones reported through `onUnresolved`. */
export function values(
  model: TfModel,
  dir: string,
  raw: unknown,
  onUnresolved: (why: string) => void,
): unknown[] {
  const out: unknown[] = [];
  for (const c of candidates(model, dir, raw)) {
    if ('unresolved' in c) onUnresolved(`${c.unresolved} (${c.via})`);
    else out.push(c.value);
  }
  return out;
}

/** A deep copy that tests may mutate freely. */
export function cloneModel(model: TfModel): TfModel {
  return structuredClone(model);
}

/** The single resource `type.name` in `dir` (throws if absent, so a renamed resource fails loudly). */
export function resource(model: TfModel, dir: string, type: string, name: string): TfResource {
  const found = model.modules[dir]?.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`${dir}: ${type}.${name} not found`);
  return found;
}
