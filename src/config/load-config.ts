import { envSchema } from './config.schema.js';
import { SettingError, toAppConfig, type AppConfig } from './app-config.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses and validates the environment. Throws ConfigError naming every bad or missing variable;
 * never echoes a value (it may be a secret).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  /** settings a command fixes whatever the environment says (e.g. the export CLI's role) */
  overrides: NodeJS.ProcessEnv = {},
): AppConfig {
  const given = stripEmpty({ ...env, ...overrides });
  const result = envSchema.safeParse(given);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      return issue.code === 'invalid_type' && !(name in given)
        ? `${name} is required`
        : `${name}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  if (result.data.NODE_ENV === 'production' && result.data.OIDC_ALLOW_INSECURE_HTTP) {
    throw new ConfigError(['OIDC_ALLOW_INSECURE_HTTP: must not be true in production']);
  }
  try {
    return toAppConfig(result.data);
  } catch (error) {
    if (error instanceof SettingError) throw new ConfigError([error.message]);
    throw error;
  }
}

/** An empty variable means "not set", as in most twelve-factor tooling. */
function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
