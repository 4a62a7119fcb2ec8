import type { Body, TfModel, TfModule } from './hcl-model.js';

/**
 * A small stand-in for `terraform validate` (no terraform binary here): inside each module every
 * `var.x`, `local.x`, `module.x(.output)`, resource and data-source reference must resolve, and
 * every module call must pass only declared variables and all required ones.
 */

const META_ARGS = new Set(['source', 'count', 'for_each', 'providers', 'depends_on', 'version']);

function expressions(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('${')) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) expressions(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) expressions(v, out);
  }
  return out;
}

function moduleExpressions(mod: TfModule): string[] {
  const bodies: unknown[] = [
    ...mod.resources.map((r) => r.body),
    ...mod.data.map((d) => d.body),
    mod.locals,
    ...mod.moduleCalls.map((c) => c.args),
    ...Object.values(mod.outputs),
    ...Object.values(mod.variables).map((v) => v.body.validation),
    ...Object.values(mod.providers).flat(),
  ];
  return bodies.flatMap((b) => expressions(b));
}

export function referenceProblems(model: TfModel): string[] {
  const problems: string[] = [];
  for (const mod of Object.values(model.modules)) {
    const resources = new Set(mod.resources.map((r) => `${r.type}.${r.name}`));
    const data = new Set(mod.data.map((d) => `${d.type}.${d.name}`));
    const calls = new Map(mod.moduleCalls.map((c) => [c.name, c]));
    const seen = new Set<string>();
    const report = (msg: string): void => {
      if (!seen.has(msg)) problems.push(`${mod.dir}: ${msg}`);
      seen.add(msg);
    };

    for (const expr of moduleExpressions(mod)) {
      for (const [, name] of expr.matchAll(/(?<![\w.])var\.([A-Za-z0-9_]+)/g)) {
        if (!(name in mod.variables)) report(`var.${name} is not declared`);
      }
      for (const [, name] of expr.matchAll(/(?<![\w.])local\.([A-Za-z0-9_]+)/g)) {
        if (!(name in mod.locals)) report(`local.${name} is not defined`);
      }
      for (const [, name, output] of expr.matchAll(
        /(?<![\w.])module\.([A-Za-z0-9_]+)(?:\[\d+\])?\.([A-Za-z0-9_]+)/g,
      )) {
        const call = calls.get(name);
        if (!call) report(`module.${name} is not called here`);
        else if (!(output in (model.modules[call.source]?.outputs ?? {}))) {
          report(`module.${name}.${output}: ${call.source} has no such output`);
        }
      }
      for (const [, type, name] of expr.matchAll(/(?<![\w.])data\.([a-z0-9_]+)\.([A-Za-z0-9_]+)/g)) {
        if (!data.has(`${type}.${name}`)) report(`data.${type}.${name} is not declared`);
      }
      for (const [, type, name] of expr.matchAll(
        /(?<![\w.\-/:])((?:aws|random)_[a-z0-9_]+)\.([A-Za-z0-9_]+)/g,
      )) {
        if (!resources.has(`${type}.${name}`)) report(`${type}.${name} is not declared`);
      }
    }

    for (const call of mod.moduleCalls) {
      const callee = model.modules[call.source];
      if (!callee) {
        report(`module.${call.name}: source ${call.source} not found`);
        continue;
      }
      for (const arg of Object.keys(call.args)) {
        if (!META_ARGS.has(arg) && !(arg in callee.variables)) {
          report(`module.${call.name}: ${call.source} has no variable "${arg}"`);
        }
      }
      for (const [name, v] of Object.entries(callee.variables)) {
        if (!('default' in v.body) && !(name in call.args)) {
          report(`module.${call.name}: required variable "${name}" of ${call.source} is not passed`);
        }
      }
    }
  }
  return problems;
}

/** Root variables without a default must be set in the root's terraform.tfvars. */
export function unsetRootVariables(model: TfModel): string[] {
  const problems: string[] = [];
  for (const root of Object.values(model.modules).filter((m) => m.dir.startsWith('envs/'))) {
    const tfvars: Body = root.tfvars[`${root.dir}/terraform.tfvars`] ?? {};
    for (const [name, v] of Object.entries(root.variables)) {
      if (!('default' in v.body) && !(name in tfvars))
        problems.push(`${root.dir}: ${name} has no default and no value`);
    }
    for (const name of Object.keys(tfvars)) {
      if (!(name in root.variables)) problems.push(`${root.dir}/terraform.tfvars: ${name} is not a variable`);
    }
  }
  return problems;
}
