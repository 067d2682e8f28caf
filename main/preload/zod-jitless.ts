import { z } from 'zod';

/**
 * zod compiles fast parsers with `new Function` unless told not to, and decides when each schema
 * is built. Under the app's CSP (script-src 'self', no 'unsafe-eval') that throws, so this module
 * is imported before any module that builds schemas.
 */
z.config({ jitless: true });
