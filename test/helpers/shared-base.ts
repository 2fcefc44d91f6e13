import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT } from "./cli.ts";
import { type TempRepo, tempRepo } from "./git-repo.ts";

/** A Deployment of 6 replicas: what a staging replicas cap would lower. */
export const BASE = readFileSync(join(PROJECT, "test/fixtures/shared-places/web.yaml"), "utf8");

/**
 * A repository with `base/web.yaml` (BASE) and a Kustomize overlay of it in each of these environments
 * (prod with the project's prod settings, the others with its dev settings), committed.
 */
export function baseWithOverlays(environments: readonly string[]): TempRepo {
  const repo = tempRepo();
  for (const environment of environments) {
    const settings = environment === "prod" ? "prod" : "dev";
    repo.write(
      `environments/${environment}/greenops.yml`,
      readFileSync(join(PROJECT, `environments/${settings}/greenops.yml`)),
    );
    repo.write(
      `environments/${environment}/web/kustomization.yaml`,
      "namespace: shop\nresources:\n  - ../../../base\n",
    );
  }
  repo.write("base/web.yaml", BASE);
  repo.write("base/kustomization.yaml", "resources:\n  - web.yaml\n");
  repo.commit("a base and its overlays");
  return repo;
}
