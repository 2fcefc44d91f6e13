import policy from "../../policies/storage-class.ts";
import { planJson } from "../helpers/plan.ts";
import { runPolicyTests } from "../helpers/policy-tester.ts";

const claim = (className: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data, namespace: shop }
spec:
  storageClassName: ${className} # provisioned by the EBS CSI driver
  resources: { requests: { storage: 100Gi } }
`;
const classes = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: fast-gp3 }
provisioner: ebs.csi.aws.com
parameters: { type: gp3 }
---
`;
const PRICES = { from: "gp2", to: "gp3", fromPrice: "$0.1", toPrice: "$0.08", region: "us-east-1" };

runPolicyTests(policy, {
  valid: [
    { code: claim("gp3") },
    { name: "io2 is not gp2", code: claim("fast"), settings: { storageClasses: { fast: "io2" } } },
    { name: "a region without a gp3 price", code: claim("gp2"), settings: { region: "eu-west-1" } },
    {
      name: "a cloud volume already on gp3",
      code: planJson([{ address: "aws_ebs_volume.data", after: { type: "gp3", size: 100 } }]),
    },
    {
      name: "a cloud volume in a region without a gp3 price",
      code: planJson([{ address: "aws_ebs_volume.data", after: { type: "gp2", size: 100 } }], "eu-west-1"),
    },
  ],
  invalid: [
    {
      name: "a new claim moves to the gp3 class of a manifest (safe)",
      code: `${classes}${claim("gp2")}`,
      errors: [
        {
          messageId: "claim",
          data: { claim: "PersistentVolumeClaim/shop/data", ...PRICES },
          line: 11,
          column: 3,
        },
      ],
      output: `${classes}${claim("fast-gp3")}`,
    },
    {
      name: "the settings' class, for an existing claim",
      code: claim("standard"),
      before: claim("standard"),
      settings: { storageClasses: { standard: "gp2", ssd: "gp3" } },
      errors: [{ messageId: "claim", data: { claim: "PersistentVolumeClaim/shop/data", ...PRICES } }],
      output: claim("ssd"),
    },
    {
      name: "no gp3 class known: reported, not fixed",
      code: claim("gp2"),
      errors: [{ messageId: "claim", data: { claim: "PersistentVolumeClaim/shop/data", ...PRICES } }],
    },
    {
      name: "a StatefulSet's claim template",
      code: `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  replicas: 1
  template: { spec: { containers: [{ name: pg }] } }
  volumeClaimTemplates:
    - metadata: { name: pgdata }
      spec: { storageClassName: gp2, resources: { requests: { storage: 50Gi } } }
`,
      settings: { defaultStorageClass: "gp3" },
      errors: [
        { messageId: "claim", data: { claim: 'StatefulSet/shop/db claim "pgdata"', ...PRICES }, line: 9 },
      ],
      output: `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  replicas: 1
  template: { spec: { containers: [{ name: pg }] } }
  volumeClaimTemplates:
    - metadata: { name: pgdata }
      spec: { storageClassName: gp3, resources: { requests: { storage: 50Gi } } }
`,
    },
    {
      name: "a StorageClass that provisions gp2",
      code: "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: standard }\nprovisioner: ebs.csi.aws.com\nparameters:\n  type: gp2\n",
      errors: [{ messageId: "storageClass", data: { name: "standard", ...PRICES }, line: 6 }],
      output:
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: standard }\nprovisioner: ebs.csi.aws.com\nparameters:\n  type: gp3\n",
    },
    {
      name: "cloud volumes in a plan: reported with the change to make (a plan is not edited)",
      code: planJson([
        { address: "aws_ebs_volume.logs", after: { type: "gp2", size: 100 } },
        {
          address: "aws_instance.web",
          after: { instance_type: "t3.micro", root_block_device: [{ volume_size: 30 }] },
        },
      ]),
      errors: [
        {
          messageId: "volume",
          data: {
            resource: "aws_ebs_volume.logs",
            volume: "volume",
            how: ": set its volume type to gp3",
            ...PRICES,
          },
        },
        {
          messageId: "volume",
          data: {
            resource: "aws_instance.web",
            volume: "root_block_device",
            how: ": set its volume type to gp3",
            ...PRICES,
          },
        },
      ],
    },
  ],
});
