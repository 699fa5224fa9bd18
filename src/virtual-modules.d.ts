declare module 'virtual:policy-bundle' {
  /** The validated policy bundle; typed in src/background/bundle.ts. */
  const bundle: unknown;
  export default bundle;
}

/** Set by vite.config.ts for each build. */
declare const __TARGET__: 'chrome' | 'firefox';
