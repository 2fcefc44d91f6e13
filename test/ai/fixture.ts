import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

/** Secrets of every kind the redaction must catch, planted in the fixture's manifests. */
export const PLANTED = {
  secretData: "c3VwZXItc2VjcmV0LWRiLXBhc3N3b3Jk",
  envValue: "hunter2-env-value",
  awsKey: "AKIAIOSFODNN7EXAMPLE",
  awsSecret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  githubToken: "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
  urlPassword: "pa55w0rd-in-url",
  privateKeyLine: "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
  redactedPath: "internal-team-billing-code-4711",
  jwt: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
} as const;

export const WEB = "k8s/web.yaml";

/** The web Deployment: `replicas` and the CPU request vary between base and head. */
export function web(replicas: number, cpu = "1"): string {
  return `# The storefront web tier.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations:
    billing.example.com/code: ${PLANTED.redactedPath}
spec:
  replicas: ${replicas} # sized for the launch
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ghcr.io/example/web:1.2.3
          args: ["--upstream", "https://deploy:${PLANTED.urlPassword}@git.example.com/shop.git"]
          env:
            - name: DB_PASSWORD
              value: ${PLANTED.envValue}
            - name: AWS_ACCESS_KEY_ID
              value: ${PLANTED.awsKey}
            - name: LOG_LEVEL
              value: info
          resources:
            requests:
              cpu: ${cpu}
              memory: 1Gi
            limits:
              memory: 1Gi
---
apiVersion: v1
kind: Secret
metadata:
  name: web-db
  namespace: shop
type: Opaque
data:
  password: ${PLANTED.secretData}
stringData:
  aws_secret_access_key: ${PLANTED.awsSecret}
  token: ${PLANTED.githubToken}
  session: ${PLANTED.jwt}
  tls.key: |
    -----BEGIN PRIVATE KEY-----
    ${PLANTED.privateKeyLine}
    -----END PRIVATE KEY-----
`;
}

/** The web tier belongs to staging, a non-production environment: non-production policies speak. */
export const CONFIG = `ai:
  enabled: true
  redact:
    - metadata.annotations
environments:
  staging:
    paths: ["k8s/**"]
`;

/** Staging's settings: the built-in defaults' cloud and region, so the figures are those defaults'. */
const STAGING = "cloud: aws\nregion: unknown\ncurrency: USD\n";

/** A repository whose head raises the web tier from 2 to 4 replicas; the AI opt-in on both sides. */
export function aiRepo(config = CONFIG): TempRepo {
  const repo = tempRepo();
  repo.write(".github/greenops.yml", config);
  repo.write("environments/staging/greenops.yml", STAGING);
  repo.write(WEB, web(2));
  repo.commit("web at two replicas");
  repo.write(WEB, web(4));
  return repo;
}
