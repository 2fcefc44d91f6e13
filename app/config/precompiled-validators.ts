import type { ValidateFunction } from "ajv";

/**
 * Validators compiled ahead of time, by the name given to `lazyValidator` (ajv.ts). The sources hold
 * none: each is compiled on first use. The CLI bundle replaces this module with ajv's standalone code
 * for every named schema it holds (app/cli/precompile.ts): compiling one takes ~35 ms at run time.
 */
export const PRECOMPILED: Readonly<Record<string, ValidateFunction | undefined>> = {};
