import policy from "../../policies/replicas-cap.ts";
import { planJson } from "../helpers/plan.ts";
import { runPolicyTests } from "../helpers/policy-tester.ts";

const deployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: ${replicas} # sized for the launch
  template: { spec: { containers: [{ name: app, resources: { requests: { cpu: 100m } } }] } }
`;
const autoscaler = (min: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: shop }
spec:
  scaleTargetRef: { kind: Deployment, name: web }
  minReplicas: ${min}
  maxReplicas: 10
`;

runPolicyTests(policy, {
  valid: [
    { name: "at the cap outside production", code: deployment(2), environment: "dev" },
    { name: "production allows more", code: deployment(20), environment: "prod" },
    { name: "an autoscaler's minimum in production", code: autoscaler(5), environment: "prod" },
    { name: "a raised cap", code: deployment(4), environment: "dev", options: { nonProductionMax: 4 } },
    {
      name: "a production flag overrides the name",
      code: deployment(6),
      environment: "staging",
      settings: { production: true },
    },
    {
      name: "prd, by its name, without settings",
      code: deployment(20),
      environment: "prd",
      unconfigured: true,
    },
    {
      name: "unknown kind: only the production cap",
      code: deployment(20),
      environment: "qa",
      unconfigured: true,
    },
    {
      name: "unknown kind: a production word in a configured name",
      code: deployment(20),
      environment: "eu-prod",
    },
    {
      name: "unknown kind: no cap on an autoscaler's minimum",
      code: autoscaler(5),
      environment: "qa",
      unconfigured: true,
    },
  ],
  invalid: [
    {
      name: "a cloud group's desired size and a service's tasks outside production",
      code: planJson([
        {
          address: "aws_autoscaling_group.workers",
          after: { desired_capacity: 5, min_size: 1, max_size: 8, mixed_instances_policy: null },
        },
        { address: "aws_ecs_service.api", after: { launch_type: "FARGATE", desired_count: 4 } },
      ]),
      environment: "dev",
      errors: [
        {
          messageId: "capacity",
          data: {
            resource: "aws_autoscaling_group.workers",
            count: 5,
            what: "instances",
            cap: 2,
            environment: "non-production environment dev",
            how: ": set its desired size to 2",
          },
        },
        {
          messageId: "capacity",
          data: {
            resource: "aws_ecs_service.api",
            count: 4,
            what: "tasks",
            cap: 2,
            environment: "non-production environment dev",
            how: ": set its desired size to 2",
          },
        },
      ],
    },
    {
      code: deployment(4),
      environment: "dev",
      errors: [
        {
          messageId: "replicas",
          data: {
            kind: "Deployment",
            name: "web",
            replicas: 4,
            cap: 2,
            environment: "non-production environment dev",
          },
          line: 5,
          column: 3,
        },
      ],
      output: deployment(2),
    },
    {
      name: "production cap",
      code: deployment(80),
      environment: "production",
      errors: [
        {
          messageId: "replicas",
          data: {
            kind: "Deployment",
            name: "web",
            replicas: 80,
            cap: 50,
            environment: "production environment production",
          },
        },
      ],
      output: deployment(50),
    },
    {
      name: "unknown kind: the production cap",
      code: deployment(80),
      environment: "qa",
      unconfigured: true,
      errors: [
        {
          messageId: "replicas",
          data: { kind: "Deployment", name: "web", replicas: 80, cap: 50, environment: "environment qa" },
        },
      ],
      output: deployment(50),
    },
    {
      name: "production: false over a production name",
      code: deployment(3),
      environment: "live",
      settings: { production: false },
      errors: [
        {
          messageId: "replicas",
          data: {
            kind: "Deployment",
            name: "web",
            replicas: 3,
            cap: 2,
            environment: "non-production environment live",
          },
        },
      ],
      output: deployment(2),
    },
    {
      name: "an autoscaler keeps too many replicas outside production",
      code: autoscaler(3),
      environment: "staging",
      errors: [
        {
          messageId: "autoscalerMinimum",
          data: {
            minimum: 3,
            target: "Deployment/web",
            cap: 1,
            environment: "non-production environment staging",
          },
          line: 6,
        },
      ],
      output: autoscaler(1),
    },
  ],
});
