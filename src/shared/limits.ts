/** Limits shared by every context; zod-free so pages can import them cheaply. */
export { MAX_URL_LENGTH } from '../core/url';
