/** Injection token of the shared ioredis client (key prefix applied, fails fast when Redis is down). */
export const REDIS = Symbol('REDIS');
