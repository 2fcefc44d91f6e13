/**
 * Loaded first (`--import`) into a process a test starts: any TCP connection to a host that is not
 * loopback ends the process with status 97 and says where it was going, so a test that must stay on
 * 127.0.0.1 fails instead of reaching out.
 */
import { Socket } from "node:net";

export const LEFT_LOOPBACK = 97;
const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|::1|localhost)$/;

type Target = { host?: string; path?: string };

/** The host of connect's arguments: (options), (port, host), or the list net.connect passes on. */
function targetOf(args: unknown[]): Target {
  const [first, second] = args;
  if (Array.isArray(first)) return targetOf(first);
  if (typeof first === "object" && first !== null) return first as Target;
  if (typeof first === "string") return { path: first };
  return { host: typeof second === "string" ? second : "localhost" };
}

const connect = Socket.prototype.connect;
Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
  const { host = "localhost", path } = targetOf(args);
  if (path === undefined && !LOOPBACK.test(host)) {
    process.stderr.write(`a connection to ${host} was attempted: this process must stay on loopback\n`);
    process.exit(LEFT_LOOPBACK);
  }
  return connect.apply(this, args as Parameters<typeof connect>);
} as typeof connect;
