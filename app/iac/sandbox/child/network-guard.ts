/**
 * Loaded first by every sandbox harness: whatever the operating system allows, the program cannot
 * open a connection, resolve a name or start a server through Node's APIs. (The network namespace,
 * when the system has one, enforces the same below Node.)
 */
import dgram from "node:dgram";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";

const MESSAGE = "network access is disabled while GreenOps evaluates this program (offline, sandboxed)";

function refuse(): never {
  const error = new Error(MESSAGE) as Error & { code: string };
  error.code = "ENETUNREACH";
  throw error;
}

for (const [module, names] of [
  [net, ["connect", "createConnection", "createServer"]],
  [tls, ["connect", "createServer"]],
  [http, ["request", "get", "createServer"]],
  [https, ["request", "get", "createServer"]],
  [dgram, ["createSocket"]],
  [dns, ["lookup", "resolve", "resolve4", "resolve6", "resolveAny"]],
  [dns.promises, ["lookup", "resolve", "resolve4", "resolve6", "resolveAny"]],
] as const) {
  for (const name of names) Object.defineProperty(module, name, { value: refuse, configurable: false });
}
net.Socket.prototype.connect = refuse;
Object.defineProperty(globalThis, "fetch", { value: refuse, configurable: false });
Object.defineProperty(globalThis, "WebSocket", { value: refuse, configurable: false });
