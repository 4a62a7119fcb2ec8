/**
 * Under Jest, test code runs in a vm context whose `Object` differs from the one behind the global
 * `structuredClone` (Jest copies that function from the outer realm). oidc-provider clones client
 * metadata and keys with `structuredClone` and then checks `value.constructor === Object`, so every
 * client looks invalid ("client JSON Web Key Set is invalid") and extraParams validators are
 * silently dropped. When, and only when, the realms differ, this swaps in a clone that builds plain
 * objects and arrays in the current realm. Outside Jest it does nothing.
 */
export function alignStructuredCloneRealm(): void {
  const original = globalThis.structuredClone;
  if (original({}).constructor === Object) return;

  const clone = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(clone);
    if (value !== null && typeof value === 'object') {
      const proto = Object.getPrototypeOf(value) as object | null;
      if (proto === null || proto === Object.prototype || proto.constructor?.name === 'Object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
      }
    }
    return original(value);
  };
  Object.assign(globalThis, { structuredClone: clone });
}
