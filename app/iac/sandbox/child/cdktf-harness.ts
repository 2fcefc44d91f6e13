/**
 * Runs one CDKTF (or cdktn) app, bundled by GreenOps, so that it synthesizes into CDKTF_OUTDIR, as
 * `cdktf synth` would run the `app` command of cdktf.json. Started by app/iac/cdktf/synth.ts in a
 * sandboxed child process (the output directory is its only writable path):
 *
 *   cdktf-harness.ts <bundled app>
 */
import "./network-guard.ts";
import "./signal-guard.ts";
import { writeSync } from "node:fs";
import { createRequire } from "node:module";

const [app = ""] = process.argv.slice(2);
const errors: { message: string; stack?: string }[] = [];
const describe = (error: unknown) =>
  error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
process.on("unhandledRejection", (error) => errors.push(describe(error)));
try {
  const exported = createRequire(app)(app);
  const main = typeof exported === "function" ? exported : exported?.default;
  if (typeof main === "function") await main();
} catch (error) {
  errors.push(describe(error));
}
writeSync(3, JSON.stringify({ errors }));
