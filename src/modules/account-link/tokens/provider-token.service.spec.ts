import { Metrics } from '../../../metrics/metrics.js';
import { DomainException } from '../../../common/errors/domain.exception';
import type { StoredTokens } from './provider-token.repository';
import { UndecryptableTokenError } from './provider-token.repository';
import { ProviderTokenService } from './provider-token.service';

const HOUR = 3_600_000;

function storedTokens(overrides: Partial<StoredTokens> = {}): StoredTokens {
  return {
    version: 1,
    accessToken: () => 'old-access',
    refreshToken: () => 'old-refresh',
    accessExpiresAt: new Date(Date.now() - 1000), // expired: the call must refresh
    storedAt: new Date(Date.now() - HOUR),
    refreshExpiresAt: new Date(Date.now() + HOUR),
    ...overrides,
  };
}

function setup(refreshed: { subject?: string }, stored: StoredTokens = storedTokens()) {
  const tokens = {
    findRecent: jest.fn().mockResolvedValue(stored),
    find: jest.fn().mockResolvedValue(stored),
    rotate: jest.fn().mockResolvedValue(true),
    delete: jest.fn().mockResolvedValue(undefined),
    subjectOf: jest.fn().mockResolvedValue('subject-of-the-person'),
    recordSkippedRevocation: jest.fn(),
  };
  const oidc = {
    refresh: jest.fn().mockResolvedValue({
      accessToken: 'new-access',
      refreshToken: 'new-refresh',
      accessExpiresAt: new Date(Date.now() + HOUR),
      refreshExpiresAt: new Date(Date.now() + 24 * HOUR),
      scope: 'openid',
      ...refreshed,
    }),
  };
  const sessions = { extendTo: jest.fn().mockResolvedValue(undefined) };
  const redis = { set: jest.fn().mockResolvedValue('OK'), eval: jest.fn().mockResolvedValue(1) };
  const audit = { info: jest.fn(), warn: jest.fn() };
  const logger = { forContext: () => audit };
  const metrics = new Metrics();
  const service = new ProviderTokenService(
    tokens as never,
    oidc as never,
    sessions as never,
    redis as never,
    logger as never,
    metrics,
  );
  const refreshes = async (outcome: string): Promise<number> =>
    (await metrics.tokenRefreshes.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  return { service, tokens, oidc, sessions, audit, refreshes };
}

describe('ProviderTokenService', () => {
  it('uses and stores a refresh whose ID token names the same person', async () => {
    const { service, tokens, refreshes } = setup({ subject: 'subject-of-the-person' });
    await expect(service.withAccessToken('p1', async (t) => t)).resolves.toBe('new-access');
    expect(tokens.rotate).toHaveBeenCalled();
    expect(tokens.delete).not.toHaveBeenCalled();
    expect(await refreshes('refreshed')).toBe(1);
  });

  it('ends the link (LINK_EXPIRED) when the refresh brings an ID token for another sub', async () => {
    const { service, tokens, audit, refreshes } = setup({ subject: 'somebody-else' });
    const call = jest.fn();
    await expect(service.withAccessToken('p1', call)).rejects.toMatchObject({
      constructor: DomainException,
      code: 'LINK_EXPIRED',
    });
    expect(call).not.toHaveBeenCalled();
    expect(tokens.rotate).not.toHaveBeenCalled();
    expect(tokens.delete).toHaveBeenCalledWith('p1');
    expect(audit.warn).toHaveBeenCalledWith(
      expect.objectContaining({ event: 'token.refresh_failed', userId: 'p1' }),
      expect.any(String),
    );
    expect([await refreshes('rejected'), await refreshes('refreshed')]).toEqual([1, 0]);
  });

  it('answers LINK_EXPIRED, deletes the tokens and records the skipped revocation when they no longer decrypt', async () => {
    const undecryptable = storedTokens({
      accessExpiresAt: new Date(Date.now() + HOUR),
      accessToken: () => {
        throw new UndecryptableTokenError();
      },
    });
    const { service, tokens } = setup({}, undecryptable);
    await expect(service.withAccessToken('p1', async (t) => t)).rejects.toMatchObject({
      code: 'LINK_EXPIRED',
    });
    expect(tokens.recordSkippedRevocation).toHaveBeenCalledWith('p1', 'use');
    expect(tokens.delete).toHaveBeenCalledWith('p1');
  });
});
