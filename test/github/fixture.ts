import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { AppSpec } from "../argocd/fake-argocd/applications.ts";
import { APP_LOGIN, type FakeGitHub } from "./fake-github/fake-github.ts";
import { type PullEvent, pullRequestPayload, pushPayload } from "./payloads.ts";

const PROJECT = new URL("../../", import.meta.url).pathname;

/** This repository's own example environments (dev, staging, prod), as the files of a commit. */
export function environmentFiles(): Record<string, string> {
  const files: Record<string, string> = { "README.md": "# shop infrastructure\n" };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(PROJECT, path)] = readFileSync(path, "utf8");
    }
  };
  walk(join(PROJECT, "environments"));
  return files;
}

/** Generated worker `i` of {@link withWorkers}. */
export const workerPath = (i: number) => `environments/prod/gen/w${i}.yaml`;

/**
 * The example environments and `count` more prod workers ({@link workerPath}), each the example's
 * worker (or `template`) under its own name: a monorepo of many manifests.
 */
export function withWorkers(count: number, template?: string): Record<string, string> {
  const files = environmentFiles();
  const worker = template ?? (files["environments/prod/shop/worker.yaml"] as string);
  for (let i = 0; i < count; i++) files[workerPath(i)] = worker.replaceAll("worker", `worker-${i}`);
  return files;
}

/** The file at `path` of `files` with its first millicore CPU request raised by 100m (a sidecar's). */
export function moreMillicores(files: Record<string, string>, path: string): Record<string, string> {
  const text = files[path] as string;
  return { [path]: text.replace(/cpu: (\d+)m/, (_, m) => `cpu: ${Number(m) + 100}m`) };
}

export type Scenario = { base: string; head: string; number: number; event: PullEvent };

/** main with the environments, and a branch `feature` changing `files`, opened as pull request #`number`. */
export function openPull(
  github: FakeGitHub,
  files: Record<string, string | null>,
  number = 7,
  baseFiles = environmentFiles(),
): Scenario {
  const base = github.commit(undefined, baseFiles, "Initial infrastructure");
  const head = github.commit(base, files, "Change the infrastructure");
  github.branch("main", base);
  github.branch("feature", head);
  github.pull(number, { base: "main", head: "feature" });
  return {
    base,
    head,
    number,
    event: { number, head: { sha: head, ref: "feature" }, base: { sha: base, ref: "main" } },
  };
}

/** Pushes a commit on `feature` and returns the synchronize event for it. */
export function push(
  github: FakeGitHub,
  scenario: Scenario,
  files: Record<string, string | null>,
  message = "Another change",
): Scenario {
  const head = github.commit(scenario.head, files, message);
  github.branch("feature", head);
  return { ...scenario, head, event: { ...scenario.event, head: { sha: head, ref: "feature" } } };
}

/** The synchronize event GitHub sends for GreenOps' own fix commit `sha` on the pull request's branch. */
export function fixCommitPushed(scenario: Scenario, sha: string) {
  return synchronize({
    ...scenario,
    head: sha,
    event: {
      ...scenario.event,
      head: { sha, ref: "feature" },
      sender: { login: APP_LOGIN, type: "Bot" as const },
    },
  });
}

/** main with `baseFiles`, then a commit changing `files` pushed to it: the push and its webhook's payload. */
export function pushToMain(
  github: FakeGitHub,
  files: Record<string, string>,
  baseFiles = environmentFiles(),
  message = "Give the API more CPU",
) {
  const before = github.commit(undefined, baseFiles);
  const after = github.commit(before, files, message);
  github.branch("main", after);
  const commits = [{ sha: after, message, files: Object.keys(files) }];
  return { before, after, payload: pushPayload({ before, after, commits }) };
}

/** The ArgoCD Application that deploys this repository's prod environment (for the fake ArgoCD). */
export function prodApplication(automated = false): AppSpec {
  return {
    name: "shop-prod",
    repoURL: "https://github.com/Codertocat/Hello-World.git",
    path: "environments/prod",
    namespace: "shop",
    cluster: "https://prod-eks.example.com",
    revision: "1".repeat(40),
    automated,
  };
}

export function opened(scenario: Scenario) {
  return pullRequestPayload("opened", scenario.event);
}

export function synchronize(scenario: Scenario) {
  return pullRequestPayload("synchronize", scenario.event);
}

export const API = "environments/prod/shop/api.yaml";
/** The Deployment API declares. */
export const API_RESOURCE = { id: "Deployment/shop/api", environment: "prod" };

/** The prod API asking for more CPU: a cost increase. */
export function moreCpu(cpu = "750m"): Record<string, string> {
  return { [API]: environmentFiles()[API]?.replace("cpu: 500m", `cpu: ${cpu}`) ?? "" };
}

/** A Pulumi program as teams write it: one stack per environment, an instance whose type a pull request changes. */
export function pulumiProgram(instanceType: string): Record<string, string> {
  return {
    "infra/Pulumi.yaml": "name: shop-infra\nruntime: nodejs\ndescription: The shop's AWS resources\n",
    "infra/Pulumi.prod.yaml": "config:\n  aws:region: us-east-1\n",
    "infra/index.ts": `import * as aws from "@pulumi/aws";

export const web = new aws.ec2.Instance("web", {
  ami: "ami-0c55b159cbfafe1f0",
  instanceType: "${instanceType}",
});
`,
  };
}
