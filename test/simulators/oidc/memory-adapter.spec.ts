import { createMemoryStore } from './memory-adapter.js';

describe('simulator memory adapter', () => {
  const store = createMemoryStore();
  afterAll(() => store.dispose());

  it('keeps more than the built-in LRU would (1,000 entries)', async () => {
    const tokens = store.factory('AccessToken');
    for (let i = 0; i < 1500; i += 1) await tokens.upsert(`at-${i}`, { accountId: `a${i}` }, 60);
    await expect(tokens.find('at-0')).resolves.toMatchObject({ accountId: 'a0' });
    await expect(tokens.find('at-1499')).resolves.toMatchObject({ accountId: 'a1499' });
  });

  it('forgets expired entries and revokes everything of a grant across models', async () => {
    const access = store.factory('AccessToken');
    const refresh = store.factory('RefreshToken');
    const grants = store.factory('Grant');
    await access.upsert('gone', { accountId: 'x' }, 0.01);
    await access.upsert('a1', { grantId: 'g1' }, 60);
    await refresh.upsert('r1', { grantId: 'g1' }, 60);
    await grants.upsert('g1', { accountId: 'x' }, 60);
    await new Promise((r) => setTimeout(r, 20));
    await expect(access.find('gone')).resolves.toBeUndefined();

    await access.revokeByGrantId('g1');
    await expect(access.find('a1')).resolves.toBeUndefined();
    await expect(refresh.find('r1')).resolves.toBeUndefined();
    await expect(grants.find('g1')).resolves.toMatchObject({ accountId: 'x' });
  });

  it('finds by uid and marks consumption', async () => {
    const sessions = store.factory('Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'x' }, 60);
    await expect(sessions.findByUid('u1')).resolves.toMatchObject({ accountId: 'x' });
    const codes = store.factory('AuthorizationCode');
    await codes.upsert('c1', { grantId: 'g2' }, 60);
    await codes.consume('c1');
    await expect(codes.find('c1')).resolves.toMatchObject({ consumed: expect.any(Number) });
  });
});
