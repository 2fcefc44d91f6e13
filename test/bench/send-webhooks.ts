/**
 * Posts webhooks to a web process, four at a time, and prints how long each answer took (JSON): run
 * as a process of its own, so that its timings are not delayed by the fake GitHub's work.
 *
 *   send-webhooks.ts <deliveries.json> <port>
 */
import { readFileSync } from "node:fs";
import { postWebhook } from "../service/app-processes.ts";
import type { Delivery } from "../service/pulls.ts";

const [file = "", port = ""] = process.argv.slice(2);
const deliveries = JSON.parse(readFileSync(file, "utf8")) as Delivery[];
const web = { port: Number(port) } as Parameters<typeof postWebhook>[0];
const answers: { status: number; milliseconds: number }[] = [];
for (let i = 0; i < deliveries.length; i += 4)
  answers.push(
    ...(await Promise.all(deliveries.slice(i, i + 4).map((d) => postWebhook(web, d.name, d.id, d.payload)))),
  );
process.stdout.write(JSON.stringify(answers));
