import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ENVIRONMENTS = {
  dev: "cloud: aws\nregion: eu-west-1\nnodeInstanceType: t3.large\nnodeCount: 4\ncurrency: USD\n",
  staging: "cloud: aws\nregion: us-east-1\nnodeInstanceType: m6g.xlarge\nnodeCount: 12\ncurrency: USD\n",
  prod: "cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.2xlarge\nnodeCount: 60\ncurrency: USD\n",
};

/** Three documents a file, as real services often have: a Deployment, its Service, its autoscaler or config. */
export function manifest(n: number): string {
  const name = `svc-${n}`;
  const cpu = [100, 250, 500, 1000][n % 4];
  const memory = [128, 256, 512, 1024][(n >> 2) % 4] ?? 128;
  const third =
    n % 3 === 0
      ? `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
  namespace: team-${n % 40}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${name}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: { type: Utilization, averageUtilization: 70 }`
      : `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
  namespace: team-${n % 40}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "checkout,search,recommendations"`;
  return `# ${name}: generated for the GreenOps benchmark
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: team-${n % 40}
  labels:
    app.kubernetes.io/name: ${name}
    app.kubernetes.io/part-of: bench
spec:
  replicas: ${1 + (n % 5)}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      containers:
        - name: app
          image: ghcr.io/example/${name}:1.${n % 20}.0
          ports:
            - containerPort: 8080
          env:
            - name: PORT
              value: "8080"
          resources:
            requests:
              cpu: ${cpu}m
              memory: ${memory}Mi
            limits:
              memory: ${memory * 2}Mi
          readinessProbe:
            httpGet: { path: /healthz, port: 8080 }
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: team-${n % 40}
spec:
  selector:
    app.kubernetes.io/name: ${name}
  ports:
    - port: 80
      targetPort: 8080
---
${third}
`;
}

export function manifestPath(n: number): string {
  const environment = Object.keys(ENVIRONMENTS)[n % 3];
  return `environments/${environment}/team-${n % 40}/svc-${n}.yaml`;
}

/** A git repository of `files` manifests (3 documents each), created once and reused. */
export function corpus(root: string, files: number): string {
  const dir = join(root, `corpus-${files}`);
  const marker = `${dir}.complete`;
  if (existsSync(marker) && readFileSync(marker, "utf8") === String(files)) return dir;
  rmSync(dir, { recursive: true, force: true });
  for (const [name, settings] of Object.entries(ENVIRONMENTS)) {
    mkdirSync(join(dir, "environments", name), { recursive: true });
    writeFileSync(join(dir, "environments", name, "greenops.yml"), settings);
  }
  for (let n = 0; n < files; n++) {
    const path = join(dir, manifestPath(n));
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, manifest(n));
  }
  commitAll(dir);
  writeFileSync(marker, String(files));
  return dir;
}

/**
 * Makes `dir` a git repository of its files, committed: a benchmark measures GreenOps on a repository
 * of its own, not on files that GreenOps' repository ignores (.greenops-bench/ is in its .gitignore).
 */
export function commitAll(dir: string): void {
  const git = (...args: string[]) =>
    execFileSync(
      "git",
      ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false", ...args],
      { cwd: dir },
    );
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "benchmark corpus");
}
