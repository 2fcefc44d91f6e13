import { afterEach, describe, expect, it } from "vitest";
import { checkedEstimate } from "../../app/engine/estimate.ts";
import type { Finding } from "../../app/engine/finding.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

/** A Deployment with no requests: requests-required reports it; replicas-cap when replicas are high. */
const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: { team: checkout }
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

const PROD = "cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.xlarge\ncurrency: USD\nproduction: true\n";

let repo: TempRepo;
afterEach(() => repo?.dispose());

async function findings(files: Record<string, string>): Promise<Finding[]> {
  repo = tempRepo();
  for (const [path, text] of Object.entries(files)) repo.write(path, text);
  return (await checkedEstimate(repo.root)).report.findings;
}

const brief = (f: Finding) => ({
  policy: f.policy,
  severity: f.severity,
  file: f.location.file,
  line: f.location.startLine,
  message: f.message,
});

describe(".github/greenops.yml", () => {
  const cases: { name: string; config: string; expected: ReturnType<typeof brief> }[] = [
    {
      name: "an unknown policy id, with the closest one",
      config: "policies:\n  replica-cap: error\n",
      expected: {
        policy: "configuration",
        severity: "error",
        file: ".github/greenops.yml",
        line: 2,
        message: 'unknown policy "replica-cap": did you mean "replicas-cap"?',
      },
    },
    {
      name: "an option of the wrong type, at its key",
      config: "policies:\n  replicas-cap:\n    severity: error\n    options:\n      max: ten\n",
      expected: {
        policy: "configuration",
        severity: "error",
        file: ".github/greenops.yml",
        line: 5,
        message: '"policies.replicas-cap.options.max" must be integer',
      },
    },
    {
      name: "an unknown option, with the closest one",
      config: "policies:\n  replicas-cap:\n    options:\n      nonProdMax: 2\n",
      expected: {
        policy: "configuration",
        severity: "error",
        file: ".github/greenops.yml",
        line: 4,
        message:
          'unknown key "nonProdMax" in "policies.replicas-cap.options": did you mean "nonProductionMax"?',
      },
    },
    {
      name: "an unknown top-level key",
      config: "polices:\n  replicas-cap: off\n",
      expected: {
        policy: "configuration",
        severity: "error",
        file: ".github/greenops.yml",
        line: 1,
        message: 'unknown key "polices" in the top level: did you mean "policies"?',
      },
    },
    {
      name: "a severity that does not exist",
      config: "policies:\n  replicas-cap: fatal\n",
      expected: {
        policy: "configuration",
        severity: "error",
        file: ".github/greenops.yml",
        line: 2,
        message:
          '"policies.replicas-cap" must be one of the allowed values (allowed: error, warning, notice, off)',
      },
    },
    {
      name: "a duration that is not one, worded and repeated",
      config: "argocd:\n  timeout: ten minutes\n",
      expected: {
        policy: "configuration",
        severity: "error",
        file: ".github/greenops.yml",
        line: 2,
        message:
          '"argocd.timeout" must be a duration: a whole number and one of s, m, h, d, w (90s, 10m, 14d); got "ten minutes"',
      },
    },
    {
      name: "YAML that does not parse",
      config: "policies:\n  replicas-cap: [off\n",
      expected: {
        policy: "configuration",
        severity: "error",
        file: ".github/greenops.yml",
        line: 2,
        message: "invalid YAML: a flow sequence ([) opened at line 2, column 17 is not closed",
      },
    },
    {
      name: "an ignore rule without a reason",
      config: "ignore:\n  - policies: [requests-required]\n",
      expected: {
        policy: "configuration",
        severity: "error",
        file: ".github/greenops.yml",
        line: 2,
        message: expect.stringMatching(/reason/) as unknown as string,
      },
    },
  ];
  for (const { name, config, expected } of cases) {
    it(name, async () => {
      const found = await findings({ ".github/greenops.yml": config, "k8s/web.yaml": WEB });
      expect(found.filter((f) => f.policy === "configuration").map(brief)).toEqual([expected]);
    });
  }

  it("an environment's settings name an unknown policy: the error is in that file", async () => {
    const found = await findings({
      "environments/prod/greenops.yml": `${PROD}policies:\n  requests-requried: off\n`,
      "environments/prod/web.yaml": WEB,
    });
    expect(found.filter((f) => f.policy === "configuration").map(brief)).toEqual([
      {
        policy: "configuration",
        severity: "error",
        file: "environments/prod/greenops.yml",
        line: 7,
        message: 'unknown policy "requests-requried": did you mean "requests-required"?',
      },
    ]);
  });

  it("an environment's telemetry url that the URL parser refuses: an error at its line, not a source's failure", async () => {
    const found = await findings({
      "environments/prod/greenops.yml": `${PROD}telemetry:\n  prometheus:\n    url: https://prometheus.prod.example:99999\n`,
      "environments/prod/web.yaml": WEB,
    });
    expect(found.filter((f) => f.policy === "configuration").map(brief)).toEqual([
      {
        policy: "configuration",
        severity: "error",
        file: "environments/prod/greenops.yml",
        line: 8,
        message:
          '"telemetry.prometheus.url" must be a URL whose host and port can be read (a port is at most 65535); got "https://prometheus.prod.example:99999"',
      },
    ]);
  });

  it("maps paths to environments, and the environment's settings decide the severity", async () => {
    const found = await findings({
      ".github/greenops.yml": "environments:\n  prod:\n    paths: ['k8s/prod/**']\n",
      "environments/prod/greenops.yml": `${PROD}policies:\n  requests-required: error\n`,
      "k8s/prod/web.yaml": WEB,
      "k8s/dev/web.yaml": WEB,
    });
    const required = found.filter((f) => f.policy === "requests-required");
    expect(required.map((f) => [f.location.file, f.severity, f.resource?.environment])).toEqual([
      ["k8s/prod/web.yaml", "error", "prod"],
      ["k8s/dev/web.yaml", "warning", ""],
    ]);
  });

  it("turns a policy off for the repository; an environment can turn it back on", async () => {
    const found = await findings({
      ".github/greenops.yml": "policies:\n  requests-required: off\n",
      "environments/prod/greenops.yml": `${PROD}policies:\n  requests-required: notice\n`,
      "environments/prod/web.yaml": WEB,
      "k8s/web.yaml": WEB,
    });
    const required = found.filter((f) => f.policy === "requests-required");
    expect(required.map((f) => [f.location.file, f.severity])).toEqual([
      ["environments/prod/web.yaml", "notice"],
    ]);
  });
});

describe("ignores", () => {
  const ignoreCases: {
    name: string;
    web: string;
    config?: string;
    suppressed: string[];
    problems: string[];
  }[] = [
    {
      name: "a comment on the line",
      web: WEB.replace(
        "        - name: web",
        "        - name: web # greenops-ignore requests-required: sized by VPA",
      ),
      suppressed: ["sized by VPA"],
      problems: [],
    },
    {
      name: "a comment on the line before",
      web: WEB.replace(
        "        - name: web",
        "        # greenops-ignore requests-required: sized by VPA\n        - name: web",
      ),
      suppressed: ["sized by VPA"],
      problems: [],
    },
    {
      name: "a comment at the top covers the whole document",
      web: `# greenops-ignore requests-required, limits-ratio: a load-test fixture\n${WEB}`,
      suppressed: ["a load-test fixture"],
      problems: [],
    },
    {
      name: "a comment without a reason suppresses nothing",
      web: WEB.replace("        - name: web", "        - name: web # greenops-ignore requests-required"),
      suppressed: [],
      problems: ["greenops-ignore needs a reason after the policy id (`: why`); nothing is suppressed"],
    },
    {
      name: "a comment naming an unknown policy",
      web: WEB.replace("        - name: web", "        - name: web # greenops-ignore request-required: VPA"),
      suppressed: [],
      problems: [
        'greenops-ignore names an unknown policy "request-required": did you mean "requests-required"?',
      ],
    },
    {
      name: "a comment that suppresses nothing",
      web: WEB.replace("  replicas: 3", "  replicas: 3 # greenops-ignore storage-class: no volumes here"),
      suppressed: [],
      problems: ["this greenops-ignore suppresses nothing: remove it"],
    },
    {
      name: "a configuration rule by path and policy",
      web: WEB,
      config:
        "ignore:\n  - paths: ['k8s/**']\n    policies: [requests-required]\n    reason: VPA sizes these\n",
      suppressed: ["VPA sizes these"],
      problems: [],
    },
    {
      name: "a configuration rule by resource",
      web: WEB,
      config: "ignore:\n  - resources: ['Deployment/shop/*']\n    reason: owned by the shop team\n",
      suppressed: ["owned by the shop team"],
      problems: [],
    },
    {
      name: "a configuration rule for another resource suppresses nothing",
      web: WEB,
      config: "ignore:\n  - resources: ['Deployment/payments/*']\n    reason: owned by payments\n",
      suppressed: [],
      problems: [],
    },
  ];
  for (const { name, web, config, suppressed, problems } of ignoreCases) {
    it(name, async () => {
      const found = await findings({
        "k8s/web.yaml": web,
        ...(config ? { ".github/greenops.yml": config } : {}),
      });
      const required = found.filter((f) => f.policy === "requests-required");
      expect(required.length).toBeGreaterThan(0);
      expect([...new Set(required.flatMap((f) => (f.suppressed ? [f.suppressed.reason] : [])))]).toEqual(
        suppressed,
      );
      if (suppressed.length > 0) expect(required.every((f) => f.suppressed)).toBe(true);
      const reported = found.filter((f) => f.policy === "greenops-ignore");
      expect(reported.map((f) => f.message)).toEqual(problems);
      for (const problem of reported) expect(problem).toMatchObject({ severity: "warning" });
    });
  }
});

describe("custom policies", () => {
  const TEAM_LABEL = `title: Workloads name their team
severity: error
message: "{{id}} in {{environment}} has no team label (costs {{monthlyCost}} USD a month)"
match:
  kinds: [Deployment, StatefulSet]
assert:
  type: object
  required: [labels]
  properties:
    labels:
      type: object
      required: [team]
at: /metadata/labels
`;

  it("checks matching resources against its JSON Schema, with a message template", async () => {
    const found = await findings({
      ".github/greenops/policies/team-label.yml": TEAM_LABEL,
      "k8s/web.yaml": WEB,
      "k8s/api.yaml": WEB.replaceAll("web", "api").replace("  labels: { team: checkout }\n", ""),
    });
    const custom = found.filter((f) => f.policy === "team-label");
    expect(custom.map(brief)).toEqual([
      {
        policy: "team-label",
        severity: "error",
        file: "k8s/api.yaml",
        line: 1,
        message:
          "Deployment/shop/api in files outside any environment has no team label (costs 0.00 USD a month)",
      },
    ]);
  });

  it("can be configured and ignored like a built-in policy", async () => {
    const found = await findings({
      ".github/greenops/policies/team-label.yml": TEAM_LABEL,
      ".github/greenops.yml": "policies:\n  team-label: notice\n",
      "k8s/api.yaml": WEB.replaceAll("web", "api").replace("  labels: { team: checkout }\n", ""),
    });
    expect(found.filter((f) => f.policy === "team-label").map((f) => f.severity)).toEqual(["notice"]);
  });

  it("may word its patterns as editors read them (patternErrorMessage); the finding says its message", async () => {
    const found = await findings({
      ".github/greenops/policies/workload-names.yml": `title: Workloads are named after their role
message: "{{id}} is not named <team>-api or <team>-web"
assert:
  properties:
    name: { pattern: "^[a-z]+-(api|web)$", patternErrorMessage: "ends in -api or -web" }
`,
      "k8s/web.yaml": WEB,
      "k8s/api.yaml": WEB.replaceAll("web", "shop-api"),
    });
    expect(found.filter((f) => f.policy === "configuration")).toEqual([]);
    expect(found.filter((f) => f.policy === "workload-names").map(brief)).toEqual([
      {
        policy: "workload-names",
        severity: "warning",
        file: "k8s/web.yaml",
        line: 1,
        message: "Deployment/shop/web is not named <team>-api or <team>-web",
      },
    ]);
  });

  const invalid: { name: string; file: string; text: string; line: number; message: RegExp }[] = [
    {
      name: "an id that is not kebab-case, worded",
      file: "team-label.yml",
      text: "id: Team_Label\ntitle: t\nmessage: m\nassert: {}\n",
      line: 1,
      message:
        /^"id" must be kebab-case: lower-case letters and digits, words joined by single hyphens \(team-label, no-big-dev-pods\); got "Team_Label"$/,
    },
    {
      name: "an assert whose patternErrorMessage is not words",
      file: "names.yml",
      text: "title: t\nmessage: m\nassert:\n  properties: { name: { pattern: '-api$', patternErrorMessage: 1 } }\n",
      line: 3,
      message: /^assert cannot be compiled: patternErrorMessage value must be \["string"\]$/,
    },
    {
      name: "an assert that is not a JSON Schema",
      file: "bad-schema.yml",
      text: "title: t\nmessage: m\nassert:\n  type: objekt\n",
      line: 3,
      message: /^assert is not a valid JSON Schema: /,
    },
    {
      name: "an id taken by a built-in policy",
      file: "mine.yml",
      text: "id: replicas-cap\ntitle: t\nmessage: m\nassert: {}\n",
      line: 1,
      message: /^the policy id "replicas-cap" is taken by another policy$/,
    },
    {
      name: "an unknown key",
      file: "typo.yml",
      text: "title: t\nmesage: m\nassert: {}\n",
      line: 2,
      message: /^unknown key "mesage" in the top level: did you mean "message"\?$/,
    },
    {
      name: "a missing message",
      file: "short.yml",
      text: "title: t\nassert: {}\n",
      line: 1,
      message: /message/,
    },
  ];
  for (const { name, file, text, line, message } of invalid) {
    it(`reports ${name} at its line and leaves the policy out`, async () => {
      const path = `.github/greenops/policies/${file}`;
      const found = await findings({ [path]: text, "k8s/web.yaml": WEB });
      const errors = found.filter((f) => f.policy === "configuration");
      for (const error of errors)
        expect(error).toMatchObject({ severity: "error", location: { file: path } });
      expect(errors.some((f) => f.location.startLine === line && message.test(f.message))).toBe(true);
      expect(found.some((f) => f.policy === file.replace(".yml", ""))).toBe(false);
    });
  }
});
