/** Limits shared by every context; zod-free so pages can import them cheaply. */

/** Longer than any real URL we act on; longer input is refused, not truncated. */
export const MAX_URL_LENGTH = 65_536;
