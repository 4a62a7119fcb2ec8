import { cloneModel, loadTerraform, type TfModel } from './hcl-model.js';
import { referenceProblems, unsetRootVariables } from './references.js';

let model: TfModel;

beforeAll(async () => {
  model = await loadTerraform();
});

describe('references resolve (a static stand-in for terraform validate)', () => {
  it('every var, local, module output, resource and data reference exists; module calls match their variables', () => {
    expect(referenceProblems(model)).toEqual([]);
  });

  it('every root variable without default is set in terraform.tfvars, and tfvars set only variables', () => {
    expect(unsetRootVariables(model)).toEqual([]);
  });
});

describe('the reference check fails when it should', () => {
  it('a typo in a variable reference', () => {
    const copy = cloneModel(model);
    const db = copy.modules['modules/database'].resources.find((r) => r.type === 'aws_db_instance')!;
    db.body.instance_class = '${var.instance_clas}';
    expect(referenceProblems(copy)).toContain('modules/database: var.instance_clas is not declared');
  });

  it('an output that does not exist', () => {
    const copy = cloneModel(model);
    copy.modules['envs/prod'].moduleCalls.find((c) => c.name === 'app')!.args.target_group_arn =
      '${module.edge.target_group}';
    expect(referenceProblems(copy)).toContain(
      'envs/prod: module.edge.target_group: modules/edge has no such output',
    );
  });

  it('an argument the module does not declare, and a required one not passed', () => {
    const copy = cloneModel(model);
    const call = copy.modules['envs/staging'].moduleCalls.find((c) => c.name === 'cache')!;
    call.args.nodetype = call.args.node_type;
    delete call.args.node_type;
    expect(referenceProblems(copy)).toEqual([
      'envs/staging: module.cache: modules/cache has no variable "nodetype"',
      'envs/staging: module.cache: required variable "node_type" of modules/cache is not passed',
    ]);
  });

  it('a reference to a resource that is not declared', () => {
    const copy = cloneModel(model);
    copy.modules['modules/edge'].resources = copy.modules['modules/edge'].resources.filter(
      (r) => !(r.type === 'aws_s3_bucket' && r.name === 'access_logs'),
    );
    expect(referenceProblems(copy)).toContain('modules/edge: aws_s3_bucket.access_logs is not declared');
  });

  it('a required root variable without a value', () => {
    const copy = cloneModel(model);
    delete copy.modules['envs/prod'].tfvars['envs/prod/terraform.tfvars'].db_instance_class;
    expect(unsetRootVariables(copy)).toEqual(['envs/prod: db_instance_class has no default and no value']);
  });
});
