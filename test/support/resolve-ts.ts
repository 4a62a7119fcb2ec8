import { registerHooks } from 'node:module';

/**
 * Jest's globalSetup runs outside the test runtime, so jest's moduleNameMapper does not apply there.
 * Source files import siblings as `./x.js` (nodenext); this maps such a request to `./x.ts` when
 * only the TypeScript file exists, so globalSetup can load src/ code (migrations) directly.
 */
let registered = false;
export function resolveTsFromJs(): void {
  if (registered) return;
  registered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        if (/^\.{1,2}\/.*\.js$/.test(specifier)) {
          return nextResolve(specifier.replace(/\.js$/, '.ts'), context);
        }
        throw error;
      }
    },
  });
}
