import { definePolicy } from "../app/engine/policy.ts";
import { field, setFields } from "../app/engine/policy-kit.ts";

type Options = { minimumImprovementPercent: number };

const DESCRIPTORS: Record<string, string> = {
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@weekly": "0 0 * * 0",
  "@monthly": "0 0 1 * *",
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
};

/** The docs' example: a weekday report at this schedule, with a day of GB grid intensity. */
const report = (schedule: string) => ({
  settings: {
    carbonIntensityProfile: {
      source: "National Grid ESO, GB average by hour, October 2026",
      kind: "average" as const,
      hourlyGramsPerKWh: [
        150, 120, 105, 100, 100, 110, 160, 210, 230, 220, 200, 190, 185, 190, 205, 230, 270, 310, 320, 300,
        270, 230, 200, 175,
      ],
    },
  },
  code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: sales-report
  namespace: finance
spec:
  ${schedule}
  jobTemplate:
    spec:
      activeDeadlineSeconds: 5400
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: example/report:5.1.0
              resources:
                requests: { cpu: "4", memory: 8Gi }
`,
});

/** A batch job can run when the grid is clean: the same kWh emit less. */
export default definePolicy<Options, "window">({
  meta: {
    id: "cronjob-carbon-window",
    title: "CronJobs run when the grid is cleaner",
    description:
      "A CronJob scheduled at hours whose grid intensity is well above the day's cleanest hours gets a suggested schedule, from the hourly intensity of the environment's region.",
    rationale:
      "Grid carbon intensity swings through the day with demand and solar and wind output (the UK's National Grid ESO publishes half-hourly figures that vary by a factor of two or more). Moving a batch job's start to cleaner hours cuts its emissions at no cost. The policy needs an hourly profile: from telemetry (a grid-intensity provider) or `carbonIntensityProfile` in the environment's settings, with its source; without one it says nothing. Average and marginal intensity are never mixed: the profile says which it is.",
    category: "carbon",
    scope: "resource",
    defaultSeverity: "notice",
    fix: "suggestion",
    options: {
      type: "object",
      properties: {
        minimumImprovementPercent: {
          type: "number",
          minimum: 0,
          maximum: 100,
          default: 10,
          description: "Report only when the suggested hours are at least this much cleaner.",
        },
      },
      additionalProperties: false,
    },
    messages: {
      window:
        "{{resource}} runs at {{hours}} UTC, when the grid averages {{current}} gCO2e/kWh ({{kind}}, {{source}}); at {{suggested}} UTC it would average {{best}} (−{{percent}}%, {{saving}} kgCO2e a month)",
    },
    fixDescription:
      "Moves the schedule's hours to the cleanest hours of the same length, keeping its minutes and days. A suggestion: check downstream dependencies on the job's timing.",
    whenNotToUse:
      "For jobs whose timing is fixed by business needs (end-of-day reports, backups in a maintenance window).",
    examples: {
      invalid: [
        {
          title: "A weekday report at the evening peak",
          ...report('schedule: "0 18 * * 1-5" # after close of business'),
        },
      ],
      valid: [{ title: "The same report in the night's clean hours", ...report('schedule: "0 3 * * 1-5"') }],
    },
  },
  check(context) {
    const profile = context.intensity;
    const { resource, estimate } = context.resource;
    const runs = resource.demand.type === "workload" ? resource.demand.runs : undefined;
    if (!profile || !runs?.schedule || runs.suspended) return;
    const fields = (DESCRIPTORS[runs.schedule] ?? runs.schedule).trim().split(/\s+/);
    const hourField = fields[1];
    if (fields.length !== 5 || !hourField || !/^\d+(,\d+)*$/.test(hourField)) return;
    const offset = utcOffsetHours(runs.timeZone);
    if (offset === undefined) return;
    const local = hourField.split(",").map(Number);
    const utc = local.map((h) => mod(h - offset, 24));
    const mean = (hours: number[]) =>
      hours.reduce((sum, h) => sum + (profile.gramsPerKWh[h] ?? 0), 0) / hours.length;
    const current = mean(utc);
    const shifts = Array.from({ length: 24 }, (_, shift) => ({
      shift,
      intensity: mean(utc.map((h) => mod(h + shift, 24))),
    }));
    const best = shifts.sort((a, b) => a.intensity - b.intensity || a.shift - b.shift)[0];
    if (
      !best ||
      current <= 0 ||
      ((current - best.intensity) / current) * 100 < context.options.minimumImprovementPercent
    )
      return;
    const suggestedLocal = local.map((h) => mod(h + best.shift, 24)).sort((a, b) => a - b);
    const schedule = [fields[0], suggestedLocal.join(","), ...fields.slice(2)].join(" ");
    const kWh = estimate.carbon.reduce((sum, line) => sum + (line.kWh ?? 0), 0);
    context.report({
      messageId: "window",
      data: {
        resource: resource.id,
        hours: utc.map(twoDigits).join(","),
        current: Math.round(current),
        kind: profile.kind,
        source: profile.source,
        suggested: utc.map((h) => twoDigits(mod(h + best.shift, 24))).join(","),
        best: Math.round(best.intensity),
        percent: Math.round(((current - best.intensity) / current) * 100),
        saving: Number(((kWh * (current - best.intensity)) / 1000).toFixed(3)),
      },
      at: field(resource, ["spec", "schedule"]),
      fix: {
        title: `Run on "${schedule}"`,
        edits: () => setFields(context.text, resource, [{ path: ["spec", "schedule"], value: schedule }]),
      },
    });
  },
});

/** The zone's offset from UTC in hours in mid-January (daylight saving time is not modelled). */
function utcOffsetHours(timeZone: string | undefined): number | undefined {
  if (!timeZone) return 0;
  try {
    const instant = Date.UTC(2026, 0, 15, 12);
    const format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
    });
    const part = (type: string) => Number(format.formatToParts(instant).find((p) => p.type === type)?.value);
    return (Date.UTC(part("year"), part("month") - 1, part("day"), part("hour")) - instant) / 3_600_000;
  } catch {
    return undefined;
  }
}

function mod(value: number, base: number): number {
  return ((value % base) + base) % base;
}

function twoDigits(hour: number): string {
  return `${String(hour).padStart(2, "0")}:00`;
}
