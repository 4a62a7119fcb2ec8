import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { keywordOf, KEYWORDS, loadScenario, PENDING_KEYWORDS, ScenarioWorld } from './scenario-runner';

/**
 * Every scenario in test/scenarios/*.yaml (see README.md there). A scenario whose `needs` names a
 * branch not merged yet (MERGED below) is checked for form but not run; the integrator adds the
 * branch to MERGED when it lands, together with the keywords it brings.
 */
const MERGED = new Set(['dpop', 'push', 'admin']);

const files = readdirSync(__dirname)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const scenarios = files.map((file) => ({ file, scenario: loadScenario(join(__dirname, file)) }));
const runnable = scenarios.filter(({ scenario }) => (scenario.needs ?? []).every((b) => MERGED.has(b)));
const waiting = scenarios.filter((s) => !runnable.includes(s));

describe('keyword-driven scenarios', () => {
  it('are written with known keywords only', () => {
    expect(scenarios.length).toBeGreaterThan(0);
    const unknown = scenarios.flatMap(({ file, scenario }) =>
      scenario.steps
        .map(keywordOf)
        .filter((k) => !(KEYWORDS as readonly string[]).includes(k) && !(k in PENDING_KEYWORDS))
        .map((k) => `${file}: ${k}`),
    );
    expect(unknown).toEqual([]);
  });

  it('wait only for branches that bring the keywords they use', () => {
    const problems = waiting.flatMap(({ file, scenario }) =>
      scenario.steps
        .map(keywordOf)
        .filter((k) => k in PENDING_KEYWORDS && !(scenario.needs ?? []).includes(PENDING_KEYWORDS[k]))
        .map((k) => `${file}: ${k} needs ${PENDING_KEYWORDS[k]}`),
    );
    expect(problems).toEqual([]);
    process.stdout.write(
      `scenarios waiting for a branch: ${waiting.map((w) => w.file).join(', ') || 'none'}\n`,
    );
  });

  describe.each(runnable.map(({ file, scenario }) => [file, scenario] as const))('%s', (_file, scenario) => {
    let world: ScenarioWorld;
    beforeAll(async () => {
      world = new ScenarioWorld(scenario);
      await world.start();
    }, 120_000);
    afterAll(() => world.stop(), 60_000);

    // a killed worker's jobs come back after BullMQ's 30 s lock: those scenarios take longer
    it(`${scenario.title} — ${scenario.proves}`, () => world.run(), 240_000);
  });
});
