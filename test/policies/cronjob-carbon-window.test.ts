import type { HourlyIntensity } from "../../app/engine/intensity.ts";
import policy from "../../policies/cronjob-carbon-window.ts";
import { runPolicyTests } from "../helpers/policy-tester.ts";

/** A day with a dirty evening peak (17–21 UTC at 400 g) and clean nights (01–05 UTC at 100 g). */
const PROFILE: HourlyIntensity = {
  source: "test profile",
  kind: "average",
  gramsPerKWh: Array.from({ length: 24 }, (_, h) =>
    h >= 17 && h <= 21 ? 400 : h >= 1 && h <= 5 ? 100 : 250,
  ),
};
const cronJob = (schedule: string, timeZone = "") => `apiVersion: batch/v1
kind: CronJob
metadata: { name: report, namespace: shop }
spec:
  schedule: "${schedule}" # nightly numbers
${timeZone}  jobTemplate:
    spec:
      activeDeadlineSeconds: 3600
      template: { spec: { containers: [{ name: r, resources: { requests: { cpu: "2", memory: 4Gi } } }] } }
`;

runPolicyTests(policy, {
  valid: [
    { name: "already in the cleanest hours", code: cronJob("30 2 * * *"), intensity: PROFILE },
    { name: "no intensity data: no finding", code: cronJob("0 18 * * *") },
    { name: "runs every hour: no window to move", code: cronJob("*/10 * * * *"), intensity: PROFILE },
    {
      name: "a small improvement",
      code: cronJob("0 0 * * *"),
      intensity: PROFILE,
      options: { minimumImprovementPercent: 70 },
    },
  ],
  invalid: [
    {
      code: cronJob("15 18 * * 1-5"),
      intensity: PROFILE,
      // 2 vCPU + 4 GiB for 1 h on 21.73 weekdays: 0.1211 kWh CPU + 0.0387 kWh memory = 0.1597 kWh × (400 − 100) g = 0.048 kg
      errors: [
        {
          messageId: "window",
          data: {
            resource: "CronJob/shop/report",
            hours: "18:00",
            current: 400,
            kind: "average",
            source: "test profile",
            suggested: "01:00",
            best: 100,
            percent: 75,
            saving: 0.048,
          },
          line: 5,
        },
      ],
      output: cronJob("15 1 * * 1-5"),
    },
    {
      name: "in the CronJob's time zone",
      code: cronJob("0 19 * * *", "  timeZone: Europe/Paris\n"),
      intensity: PROFILE,
      errors: [
        {
          messageId: "window",
          data: {
            resource: "CronJob/shop/report",
            hours: "18:00",
            current: 400,
            kind: "average",
            source: "test profile",
            suggested: "01:00",
            best: 100,
            percent: 75,
            saving: 0.067,
          },
        },
      ],
      output: cronJob("0 2 * * *", "  timeZone: Europe/Paris\n"),
    },
  ],
});
