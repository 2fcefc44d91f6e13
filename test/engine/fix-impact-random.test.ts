import { describe, expect, it } from "vitest";
import { evaluateFiles, PROD } from "../helpers/evaluate.ts";
import {
  autoscaler,
  daemonSet,
  deployment,
  documents,
  editTo,
  expectSame,
  limitRange,
  measures,
  statefulSet,
  storageClass,
} from "../helpers/fix-impact.ts";

/** A seeded generator (mulberry32): the same environments and edits on every run. */
function random(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

const NAMES = ["web", "api", "cart", "queue", "search", "mailer"];
const NAMESPACES = ["shop", "data"];
const CPUS = ["100m", "250m", "500m", "1", "2"];

/** A random document of the kinds linking reads. */
function randomDocument(pick: (below: number) => number): string {
  const name = NAMES[pick(NAMES.length)] as string;
  const namespace = NAMESPACES[pick(NAMESPACES.length)] as string;
  const cpu = CPUS[pick(CPUS.length)] as string;
  switch (pick(10)) {
    case 0:
      return autoscaler(name, namespace, 1 + pick(4));
    case 1:
      return limitRange(namespace, cpu);
    case 2:
      return storageClass(
        ["standard", "fast"][pick(2)] as string,
        ["gp2", "io1", "st1"][pick(3)] as string,
        pick(2) === 0,
      );
    case 3:
      return statefulSet(name, namespace, `${10 * (1 + pick(20))}Gi`, [undefined, "fast", "gp3"][pick(3)]);
    case 4:
      return daemonSet(`${name}-agent`, namespace, cpu);
    default:
      return deployment(
        name,
        namespace,
        1 + pick(6),
        pick(3) === 0 ? { memory: "1Gi" } : { cpu, memory: "1Gi" },
      );
  }
}

/** A random edit of a file's text: one document's figures, its name or namespace, an autoscaler's target, a document added or removed. */
function randomEdit(text: string, pick: (below: number) => number): string {
  const parts = text.split("---\n");
  const index = pick(parts.length);
  const part = parts[index] as string;
  switch (pick(12)) {
    case 0:
      parts.splice(index, 0, randomDocument(pick));
      break;
    case 1:
      if (parts.length > 1) parts.splice(index, 1);
      break;
    case 2:
      parts[index] = part.replace(/name: (\w+)/, (_, name) => `name: ${name}x`);
      break;
    case 3:
      parts[index] = part.replace(/namespace: \w+/, `namespace: ${NAMESPACES[pick(2)]}`);
      break;
    case 4:
      parts[index] = part.replace(/replicas: \d+/, `replicas: ${1 + pick(6)}`);
      break;
    case 5:
      parts[index] = part.replace(/storage: \d+Gi/, `storage: ${5 * (1 + pick(30))}Gi`);
      break;
    case 6:
      parts[index] = part.replace(/minReplicas: \d+/, `minReplicas: ${1 + pick(5)}`);
      break;
    case 7:
      parts[index] = part.replace(
        /kind: Deployment, name: \w+/,
        `kind: Deployment, name: ${NAMES[pick(NAMES.length)]}`,
      );
      break;
    default:
      parts[index] = part.replace(/cpu: \w+/, `cpu: ${CPUS[pick(CPUS.length)]}`);
  }
  return parts.join("---\n");
}

describe("a fix's saving measured locally, over random environments and edits", () => {
  it("equals the whole environment's measure, to the cent and gram, and falls back where it must", () => {
    const pick = random(20261205);
    const routes = { local: 0, saving: 0, whole: 0 };
    for (let run = 0; run < 600; run++) {
      const files: Record<string, string> = {};
      for (let f = 0; f < 2 + pick(4); f++) {
        const count = 1 + pick(3);
        files[`k8s/${f}.yaml`] = documents(...Array.from({ length: count }, () => randomDocument(pick)));
      }
      const evaluation = evaluateFiles(files, PROD);
      const file = `k8s/${pick(Object.keys(files).length)}.yaml`;
      const edit = editTo(files, file, randomEdit(files[file] ?? "", pick));
      const { local, whole } = measures(evaluation, files, [edit]);
      routes[local ? "local" : "whole"]++;
      if (local && Math.abs(local.monthlyCost) > 0.01) routes.saving++;
      if (local) expectSame(local, whole);
    }
    // Measured both ways (317 local, 101 of them saving something, 283 whole): the test compares figures.
    expect(routes.local).toBeGreaterThan(250);
    expect(routes.saving).toBeGreaterThan(80);
    expect(routes.whole).toBeGreaterThan(200);
  });
});
