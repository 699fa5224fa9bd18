/**
 * Serves the validated policy bundle as `virtual:policy-bundle`. Validation
 * happens once, at build time; a bad file fails the build naming file and field.
 */
import type { Plugin } from 'vite';
import type { PolicyBundle } from '../src/core/policy-schema';

const VIRTUAL_ID = 'virtual:policy-bundle';
const RESOLVED_ID = '\0' + VIRTUAL_ID;

export function policiesPlugin(bundle: PolicyBundle): Plugin {
  return {
    name: 'policy-bundle',
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : null;
    },
    load(id) {
      if (id !== RESOLVED_ID) return null;
      // JSON.parse of a string literal: V8 reads JSON faster than the same data as a JS object literal.
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(bundle))});`;
    },
  };
}
