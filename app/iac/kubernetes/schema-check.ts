import { pathOf } from "../../model/pointer.ts";
import type { Diagnostic } from "../../model/span.ts";
import { YamlFile, type YamlPath } from "../yaml/yaml-file.ts";

type SchemaError = { instancePath: string; keyword: string; message?: string };
type Model = { validate(): void };
type ModelClass = new (data: unknown) => Model;

const GROUP = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const VERSION = /^v\d+(?:(?:alpha|beta)\d+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

const models = new Map<string, Promise<ModelClass | undefined>>();

type ModelModule = Record<string, ModelClass | undefined>;

/**
 * The kinds GreenOps reads and fixes, and those most often beside them in a file, named in full so
 * that the CLI bundle holds their validators (app/cli/build-cli.ts): loaded from kubernetes-models'
 * ~110 modules a kind, a Deployment's took ~70 ms of every review that checks a fix, ~10 ms bundled.
 * Other kinds are loaded from the package when met.
 */
const NAMED: Record<string, () => Promise<unknown>> = {
  "apps/v1/Deployment": () => import("kubernetes-models/apps/v1/Deployment"),
  "apps/v1/StatefulSet": () => import("kubernetes-models/apps/v1/StatefulSet"),
  "apps/v1/DaemonSet": () => import("kubernetes-models/apps/v1/DaemonSet"),
  "apps/v1/ReplicaSet": () => import("kubernetes-models/apps/v1/ReplicaSet"),
  "batch/v1/Job": () => import("kubernetes-models/batch/v1/Job"),
  "batch/v1/CronJob": () => import("kubernetes-models/batch/v1/CronJob"),
  "v1/Pod": () => import("kubernetes-models/v1/Pod"),
  "v1/Service": () => import("kubernetes-models/v1/Service"),
  "v1/ConfigMap": () => import("kubernetes-models/v1/ConfigMap"),
  "v1/Secret": () => import("kubernetes-models/v1/Secret"),
  "v1/ServiceAccount": () => import("kubernetes-models/v1/ServiceAccount"),
  "v1/Namespace": () => import("kubernetes-models/v1/Namespace"),
  "v1/PersistentVolumeClaim": () => import("kubernetes-models/v1/PersistentVolumeClaim"),
  "v1/PersistentVolume": () => import("kubernetes-models/v1/PersistentVolume"),
  "v1/LimitRange": () => import("kubernetes-models/v1/LimitRange"),
  "autoscaling/v2/HorizontalPodAutoscaler": () =>
    import("kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler"),
  "storage.k8s.io/v1/StorageClass": () => import("kubernetes-models/storage.k8s.io/v1/StorageClass"),
  "networking.k8s.io/v1/Ingress": () => import("kubernetes-models/networking.k8s.io/v1/Ingress"),
  "policy/v1/PodDisruptionBudget": () => import("kubernetes-models/policy/v1/PodDisruptionBudget"),
};

/**
 * Checks each object of a manifest file against the Kubernetes OpenAPI schema of its apiVersion and
 * kind (the schemas bundled in kubernetes-models). Kinds it does not know (custom resources) pass.
 * Each error is located at the offending field.
 */
export async function schemaErrors(file: string, text: string): Promise<Diagnostic[]> {
  let yaml: YamlFile;
  try {
    yaml = new YamlFile(file, text);
  } catch {
    return []; // the parser reports syntax errors
  }
  const diagnostics: Diagnostic[] = [];
  for (const document of yaml.documents) {
    const value = document.value;
    if (!isObject(value)) continue;
    const Model = await modelOf(value.apiVersion, value.kind);
    if (!Model) continue;
    for (const error of validationErrors(Model, value)) {
      const path = pathOf(error.instancePath);
      const node = nearest(path, (p) => document.locate(p));
      const span = node ? (node.key ?? node.value) : document.span();
      diagnostics.push({
        file,
        line: span.startLine,
        column: span.startColumn,
        severity: "error",
        message: `${value.kind} ${error.instancePath || "/"} ${error.message ?? "is invalid"} (Kubernetes schema)`,
      });
    }
  }
  return diagnostics;
}

function validationErrors(Model: ModelClass, value: unknown): SchemaError[] {
  try {
    new Model(value).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: SchemaError[] }).errors;
    if (!errors) throw error;
    return errors.filter((e) => !supersededBy(e, errors));
  }
}

/**
 * A field with alternatives (a quantity is a number or a string) fails each alternative and the
 * `oneOf`: keep the alternative's format error, else the `oneOf` alone.
 */
function supersededBy(error: SchemaError, errors: readonly SchemaError[]): boolean {
  const here = errors.filter((e) => e.instancePath === error.instancePath);
  if (!here.some((e) => e.keyword === "oneOf")) return false;
  const formats = here.filter((e) => e.keyword === "format");
  return formats.length > 0 ? error.keyword !== "format" : error.keyword !== "oneOf";
}

function modelOf(apiVersion: unknown, kind: unknown): Promise<ModelClass | undefined> {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !KIND.test(kind))
    return Promise.resolve(undefined);
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if ((group !== "" && !GROUP.test(group ?? "")) || !VERSION.test(version ?? ""))
    return Promise.resolve(undefined);
  const name = `${group ? `${group}/` : ""}${version}/${kind}`;
  let model = models.get(name);
  if (!model) {
    const load = NAMED[name] ?? (() => import(`kubernetes-models/${name}`));
    model = load().then(
      (module) => (module as ModelModule)[kind],
      () => undefined,
    );
    models.set(name, model);
  }
  return model;
}

/** The node at the path, or at its closest ancestor that is written (a missing required field). */
function nearest<T>(path: YamlPath, locate: (path: YamlPath) => T | undefined): T | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = locate(path.slice(0, length));
    if (node) return node;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
