/** Builds the CLI's bundle before the tests (vitest globalSetup): the CLI tests run it, as users do. */
import { buildCli } from "../../app/cli/build-cli.ts";

export default async function setup(): Promise<void> {
  await buildCli();
}
