import { AUTH } from "../telemetry/fixture/prometheus-server.ts";

/** The environment variable the fixture's telemetry settings read the Prometheus password from. */
const PASSWORD_ENV = "FIXTURE_PASSWORD";

/**
 * The environment of whoever runs GreenOps on the fixture: the Prometheus password, and that the
 * repository's telemetry settings may reach that Prometheus and send it the variable.
 */
export function operatorEnv(prometheusUrl: string): Record<string, string> {
  return {
    [PASSWORD_ENV]: AUTH.password,
    GREENOPS_TELEMETRY_ORIGINS: prometheusUrl,
    GREENOPS_TELEMETRY_SECRETS: `${prometheusUrl}=${PASSWORD_ENV}`,
  };
}

const deployment = (
  name: string,
  namespace: string,
  replicas: number,
  requests: string,
) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: ${name === "idle-worker" ? "worker" : name}
          image: ghcr.io/example/${name}:1.4.2
          resources:
            requests: ${requests} # sized at launch
`;

/**
 * A repository whose default branch wastes what the fixture cluster shows (test/telemetry/fixture):
 * prod (production, with the local Prometheus) runs shop/api and shop/idle-worker far above their use;
 * dev (non-production) runs four storefront replicas around the clock and a gp2 claim; qa has no
 * settings (unknown kind). `workloads` adds idle workers to prod (the benchmark's 500).
 */
export function scanRepository(prometheusUrl: string, workloads = 0): Record<string, string> {
  const files: Record<string, string> = {
    "README.md": "# shop infrastructure\n",
    "environments/prod/greenops.yml": `cloud: aws
region: us-east-1
nodeInstanceType: m5.xlarge
nodeCount: 6
currency: USD
production: true
telemetry:
  prometheus:
    url: ${prometheusUrl}
    cluster: { label: cluster, value: eu-1 }
    auth: { username: ${AUTH.username}, passwordEnv: ${PASSWORD_ENV} }
`,
    "environments/prod/shop/api.yaml": deployment("api", "shop", 1, "{ cpu: 1, memory: 1Gi }"),
    "environments/prod/shop/idle-worker.yaml": deployment(
      "idle-worker",
      "shop",
      1,
      "{ cpu: 500m, memory: 512Mi }",
    ),
    "environments/dev/greenops.yml":
      "cloud: aws\nregion: us-east-1\nnodeInstanceType: t3.large\ncurrency: USD\n",
    "environments/dev/shop/storefront.yaml": deployment(
      "storefront",
      "shop-dev",
      4,
      "{ cpu: 500m, memory: 1Gi }",
    ),
    "environments/dev/shop/data.yaml": `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data, namespace: shop-dev }
spec:
  storageClassName: gp2
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 100Gi } }
`,
    "environments/qa/shop/storefront.yaml": deployment(
      "storefront",
      "shop-qa",
      5,
      "{ cpu: 500m, memory: 1Gi }",
    ),
  };
  for (let i = 0; i < workloads; i++)
    files[`environments/prod/fleet/worker-${i}.yaml`] = deployment(
      `worker-${i}`,
      "fleet",
      1,
      "{ cpu: 500m, memory: 512Mi }",
    );
  return files;
}

/**
 * Rendered text with what moves from run to run taken out: the local Prometheus' port, and the number
 * of 5-minute samples in the window (it ends at the fixture's last sample, a few minutes before now).
 */
export function stableText(text: string, prometheusUrl: string): string {
  return text
    .replaceAll(prometheusUrl, "https://prometheus.example")
    .replace(/\(\d+ samples\)/g, "(N samples)");
}
