import policy from "../../policies/nonprod-schedule.ts";
import { runPolicyTests } from "../helpers/policy-tester.ts";

const deployment = (metadata = "  name: api\n  namespace: shop\n") => `apiVersion: apps/v1
kind: Deployment
metadata:
${metadata}spec:
  replicas: 1
  template: { spec: { containers: [{ name: app, resources: { requests: { cpu: "1", memory: 1Gi } } }] } }
`;

runPolicyTests(policy, {
  valid: [
    { name: "production runs around the clock", code: deployment(), environment: "prod" },
    ...["prod", "production", "prd", "live", "PROD"].map((environment) => ({
      name: `${environment}, by its name, without settings`,
      code: deployment(),
      environment,
      unconfigured: true,
    })),
    {
      name: "production: true over a development name",
      code: deployment(),
      environment: "dev",
      settings: { production: true },
    },
    {
      name: "unknown kind: an environment without settings",
      code: deployment(),
      environment: "dev",
      unconfigured: true,
    },
    {
      name: "unknown kind: a production word in a configured name",
      code: deployment(),
      environment: "pre-prod",
    },
    {
      name: "already scheduled",
      code: deployment(
        '  name: api\n  annotations:\n    downscaler/uptime: "Mon-Fri 08:00-18:00 Europe/Paris"\n',
      ),
      environment: "dev",
    },
    {
      name: "a DaemonSet",
      code: "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: agent }\nspec: { template: { spec: { containers: [{ name: a, resources: { requests: { cpu: 1 } } }] } } }\n",
      environment: "dev",
    },
    {
      name: "an unchanged workload in a review",
      code: deployment(),
      before: deployment(),
      environment: "dev",
    },
  ],
  invalid: [
    {
      code: deployment("  name: api # the storefront API\n  namespace: shop\n"),
      environment: "dev",
      // $25.87 a month around the clock; 60 of 168 hours leaves 64.3 %: $16.63 less
      errors: [
        {
          messageId: "alwaysOn",
          data: {
            resource: "Deployment/shop/api",
            environment: "non-production environment dev",
            uptime: "Mon-Fri 07:00-19:00 UTC",
            saving: "$16.63",
          },
          line: 1,
        },
      ],
      output: deployment(
        '  name: api # the storefront API\n  namespace: shop\n  annotations:\n    downscaler/uptime: "Mon-Fri 07:00-19:00 UTC"\n',
      ),
    },
    {
      name: "into existing annotations, with the team's hours",
      code: deployment("  name: api\n  annotations: { team: web }\n"),
      environment: "staging",
      options: { uptime: "Mon-Fri 08:00-20:00 Europe/Berlin" },
      errors: [
        {
          messageId: "alwaysOn",
          data: {
            resource: "Deployment/api",
            environment: "non-production environment staging",
            uptime: "Mon-Fri 08:00-20:00 Europe/Berlin",
            saving: "$16.63",
          },
        },
      ],
      output: deployment(
        '  name: api\n  annotations: { team: web, downscaler/uptime: "Mon-Fri 08:00-20:00 Europe/Berlin" }\n',
      ),
    },
  ],
});
