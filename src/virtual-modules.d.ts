declare module 'virtual:policy-bundle' {
  /** The validated policy bundle; typed in src/background/bundle.ts. */
  const bundle: unknown;
  export default bundle;
}

/** Set by vite.config.ts for each build. */
declare const __TARGET__: 'chrome' | 'firefox';

declare module '*?lazy' {
  /** The module's exports, evaluated on the first call (scripts/vite-plugin-lazy-module.ts); typed where it is imported. */
  const load: () => unknown;
  export default load;
}
