import policy from "../../policies/prefer-arm.ts";
import { planJson } from "../helpers/plan.ts";
import { runPolicyTests } from "../helpers/policy-tester.ts";

const SETTINGS = "environments/test/greenops.yml";
const settings = (type: string, region = "us-east-1") => `# production cluster
cloud: aws
region: ${region}
nodeInstanceType: ${type} # chosen in 2023
nodeCount: 3
currency: USD
`;
const manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n";

runPolicyTests(policy, {
  valid: [
    {
      name: "already Graviton",
      code: manifest,
      settings: { nodeInstanceType: "m6g.xlarge" },
      mode: "estimate",
      files: { [SETTINGS]: settings("m6g.xlarge") },
    },
    {
      name: "no ARM family",
      code: manifest,
      settings: { nodeInstanceType: "p3.2xlarge" },
      mode: "estimate",
      files: { [SETTINGS]: settings("p3.2xlarge") },
    },
    {
      name: "a review that does not touch the settings",
      code: manifest,
      settings: { nodeInstanceType: "m5.xlarge" },
      files: { [SETTINGS]: settings("m5.xlarge") },
    },
    {
      name: "a region the price table lacks",
      code: manifest,
      mode: "estimate",
      files: { [SETTINGS]: settings("m5.xlarge", "eu-west-1") },
    },
  ],
  invalid: [
    {
      name: "an x86 instance of a plan: reported with the change to make (a plan is not edited)",
      code: planJson([
        {
          address: "aws_instance.api",
          after: { instance_type: "m5.xlarge", root_block_device: [{ volume_size: 20 }] },
        },
      ]),
      mode: "estimate",
      settings: { nodeInstanceType: "m6g.xlarge" },
      errors: [
        {
          messageId: "instance",
          // m5.xlarge $0.192/h vs m6g.xlarge $0.154/h: (0.192 − 0.154) × 730 = $27.74
          data: {
            resource: "aws_instance.api",
            from: "m5.xlarge",
            to: "m6g.xlarge",
            cost: "$27.74",
            carbon: "1.97 kgCO2e",
            how: ": set its instance type to m6g.xlarge",
          },
          resource: "aws_instance.api",
        },
      ],
    },
    {
      code: manifest,
      mode: "estimate",
      settings: { nodeInstanceType: "m5.xlarge", nodeCount: 3 },
      files: { [SETTINGS]: settings("m5.xlarge") },
      errors: [
        {
          messageId: "arm",
          // m5.xlarge $0.192/h vs m6g.xlarge $0.154/h: (0.192 − 0.154) × 730 × 3 = $83.22
          data: {
            from: "m5.xlarge",
            to: "m6g.xlarge",
            cost: "$83.22",
            carbon: "4.17 kgCO2e",
            nodes: 3,
            environment: "test",
          },
          file: SETTINGS,
          line: 4,
          column: 1,
          // The environment's node type, not the ConfigMap the environment policy was handed first
          resource: null,
        },
      ],
      outputFile: SETTINGS,
      output: settings("m6g.xlarge"),
    },
  ],
});
