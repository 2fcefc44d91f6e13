import manifest from "../package.json" with { type: "json" };

/** GreenOps' version, as package.json says: printed by `--version` and written in commit trailers. */
export const VERSION: string = manifest.version;
