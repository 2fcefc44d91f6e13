import { pointerOf } from "../../model/pointer.ts";
import type { ModifierDemand, VolumeDemand } from "../../model/resource.ts";
import type { YamlPath } from "../yaml/yaml-file.ts";
import type { ManifestReader } from "./manifest-reader.ts";
import { unitValue } from "./quantity.ts";

const ABSURD_STORAGE_BYTES = 2 ** 50; // 1 PiB for one claim

/** A claim (a PersistentVolumeClaim or a volume claim template) at `path`. */
export function readClaim(reader: ManifestReader, path: YamlPath): VolumeDemand | undefined {
  const storagePath = [...path, "spec", "resources", "requests", "storage"];
  const storage = reader.quantity(storagePath);
  if (storage === undefined) {
    if (reader.value(storagePath) === undefined) {
      reader.report(
        [...path, "spec"],
        "error",
        "the claim requests no storage (spec.resources.requests.storage)",
      );
    }
    return undefined;
  }
  const bytes = Number(unitValue(storage));
  if (bytes > ABSURD_STORAGE_BYTES) {
    reader.report(storagePath, "error", `"${storage.text}" is absurdly large for one claim; not estimated`);
    return undefined;
  }
  const demand: VolumeDemand = { type: "volume", storageBytes: bytes, pointer: pointerOf(path) };
  const name = reader.string([...path, "metadata", "name"]);
  if (name !== undefined) demand.name = name;
  const storageClass = reader.string([...path, "spec", "storageClassName"], true);
  if (storageClass !== undefined) demand.storageClass = storageClass;
  return demand;
}

/** Provisioners whose StorageClass parameters name the cloud volume type, and their defaults. */
const PROVISIONERS: Record<string, { parameter: string; default: string }> = {
  "ebs.csi.aws.com": { parameter: "type", default: "gp3" },
  "kubernetes.io/aws-ebs": { parameter: "type", default: "gp2" },
  "pd.csi.storage.gke.io": { parameter: "type", default: "pd-standard" },
  "kubernetes.io/gce-pd": { parameter: "type", default: "pd-standard" },
  "disk.csi.azure.com": { parameter: "skuName", default: "StandardSSD_LRS" },
  "kubernetes.io/azure-disk": { parameter: "skuname", default: "StandardSSD_LRS" },
};

export function readStorageClass(reader: ManifestReader, name: string): ModifierDemand {
  const provisioner = reader.string(["provisioner"]) ?? "";
  const known = PROVISIONERS[provisioner];
  const isDefault =
    reader.value(["metadata", "annotations", "storageclass.kubernetes.io/is-default-class"]) === "true";
  const effect: Extract<ModifierDemand["effect"], { kind: "storage-class" }> = {
    kind: "storage-class",
    name,
    provisioner,
    isDefault,
  };
  if (known) effect.volumeType = reader.string(["parameters", known.parameter], true) ?? known.default;
  return { type: "modifier", effect };
}
