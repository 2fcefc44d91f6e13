import { describe, expect, it } from "vitest";
import { evaluateFiles } from "../../helpers/evaluate.ts";

const object = (kind: string, name: string, namespace?: string, naming = "name") =>
  `apiVersion: v1\nkind: ${kind}\nmetadata:\n  ${naming}: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ""}`;

const warnings = (files: Record<string, string>) =>
  evaluateFiles(files)
    .diagnostics.filter((d) => d.message.includes("is declared again"))
    .map((d) => `${d.file}:${d.line} ${d.message}`);

describe("an object an environment declares twice", () => {
  it.each<{ case: string; files: Record<string, string>; said: string[] }>([
    {
      case: "in two files, said at the second",
      files: { "a.yaml": object("ConfigMap", "web", "shop"), "b.yaml": object("ConfigMap", "web", "shop") },
      said: [
        "b.yaml:1 ConfigMap/shop/web is declared again (first at a.yaml:1): applied to one cluster they are one object, the one applied last, but both are estimated, so the figures count it twice",
      ],
    },
    {
      case: "in one file, at its document",
      files: { "a.yaml": `${object("ConfigMap", "web")}---\n${object("ConfigMap", "web")}` },
      said: [
        "a.yaml:6 ConfigMap/web is declared again (first at a.yaml:1): applied to one cluster they are one object, the one applied last, but both are estimated, so the figures count it twice",
      ],
    },
    {
      case: "not when the namespaces differ",
      files: {
        "a.yaml": object("ConfigMap", "web", "shop"),
        "b.yaml": object("ConfigMap", "web", "shop-dev"),
      },
      said: [],
    },
    {
      case: "not when the kinds differ",
      files: { "a.yaml": object("ConfigMap", "web"), "b.yaml": object("Secret", "web") },
      said: [],
    },
    {
      case: "not for objects named by generateName, new each time",
      files: {
        "a.yaml": object("Pod", "migrate-", "shop", "generateName"),
        "b.yaml": object("Pod", "migrate-", "shop", "generateName"),
      },
      said: [],
    },
  ])("$case", ({ files, said }) => {
    expect(warnings(files)).toEqual(said);
  });
});
