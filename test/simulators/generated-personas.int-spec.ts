import type * as client from 'openid-client';
import { generateClientKeys } from './oidc/client-keys.js';
import { LoginRedirectError } from './oidc/drive-login.js';
import { DEFAULT_REDIRECT_URI, startOidcSimulator, type OidcSimulator } from './oidc/oidc-simulator.js';
import { discoverAsRp, linkPersona } from './oidc/rp-client.js';
import { generatedPersona, personaDirectory } from './personas.js';

describe('generated personas (bench-<n>) at the OIDC simulator', () => {
  it('maps a number to one subject, either way round, and nothing else', () => {
    const p = generatedPersona('bench-123')!;
    expect(p.subject).toBe('00000000-0000-4000-8000-000000000123');
    expect(generatedPersona('bench-000123')?.subject).toBe(p.subject);
    expect(generatedPersona(p.subject)?.subject).toBe(p.subject);
    expect(generatedPersona('sato-hanako')).toBeUndefined();
    expect(generatedPersona('bench-')).toBeUndefined();
    expect(personaDirectory().byId('bench-1')).toBeUndefined();
    expect(personaDirectory({ generated: true }).byId('sato-hanako')?.id).toBe('sato-hanako');
  });

  describe.each([true, false])('simulator with generatedPersonas: %s', (generated) => {
    const keys = generateClientKeys();
    let sim: OidcSimulator;
    let config: client.Configuration;

    beforeAll(async () => {
      sim = await startOidcSimulator({ clientJwks: keys.publicJwk, generatedPersonas: generated });
      config = await discoverAsRp(sim, keys);
    });
    afterAll(() => sim.close());

    it(
      generated ? 'signs bench-42 in with its own subject' : 'refuses bench-42 (access_denied)',
      async () => {
        const linking = linkPersona(config, 'bench-42', DEFAULT_REDIRECT_URI, 'openid name');
        if (!generated) {
          await expect(linking).rejects.toBeInstanceOf(LoginRedirectError);
          return;
        }
        const { tokens } = await linking;
        expect(tokens.claims()).toMatchObject({
          sub: '00000000-0000-4000-8000-000000000042',
          name: 'ベンチ 太郎 42',
        });
      },
    );
  });
});
