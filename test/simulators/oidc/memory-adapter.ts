import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

// the models whose entries die with their grant (as in oidc-provider's own adapter)
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/**
 * oidc-provider's built-in memory adapter is an LRU of 1,000 entries shared by every provider in
 * the process: a benchmark linking thousands of people would see tokens and grants evicted (and
 * take that for a BFF bug). This one keeps everything until it expires, per simulator.
 */
export function createMemoryStore(): { factory: AdapterFactory; dispose(): void } {
  const entries = new Map<string, Entry>();
  const grants = new Map<string, Set<string>>();
  const uids = new Map<string, string>();
  const userCodes = new Map<string, string>();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  // expired entries nobody asks for again are dropped now and then
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
    for (const [grantId, keys] of grants) {
      for (const key of keys) if (!entries.has(key)) keys.delete(key);
      if (keys.size === 0) grants.delete(grantId);
    }
  }, 60_000);
  sweeper.unref();

  const factory: AdapterFactory = (model: string): Adapter => {
    const key = (id: string): string => `${model}:${id}`;
    return {
      upsert: async (id, payload, expiresIn) => {
        const k = key(id);
        entries.set(k, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
        if (payload.grantId && GRANTABLE.has(model)) {
          let keys = grants.get(payload.grantId);
          if (!keys) grants.set(payload.grantId, (keys = new Set()));
          keys.add(k);
        }
        if (payload.uid) uids.set(payload.uid, id);
        if (payload.userCode) userCodes.set(payload.userCode, id);
      },
      find: async (id) => live(key(id))?.payload,
      findByUid: async (uid) => {
        const id = uids.get(uid);
        return id ? live(key(id))?.payload : undefined;
      },
      findByUserCode: async (userCode) => {
        const id = userCodes.get(userCode);
        return id ? live(key(id))?.payload : undefined;
      },
      consume: async (id) => {
        const entry = live(key(id));
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        const entry = entries.get(key(id));
        entries.delete(key(id));
        if (entry?.payload.uid) uids.delete(entry.payload.uid);
        if (entry?.payload.userCode) userCodes.delete(entry.payload.userCode);
      },
      revokeByGrantId: async (grantId) => {
        for (const k of grants.get(grantId) ?? []) entries.delete(k);
        grants.delete(grantId);
      },
    };
  };
  return {
    factory,
    dispose: () => {
      clearInterval(sweeper);
      entries.clear();
      grants.clear();
    },
  };
}
