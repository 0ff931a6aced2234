// Free TCP ports for the local servers our scripts start (dev, browser tests, bench). wrangler dev
// opens two: the app's HTTP port and its devtools inspector (9229 unless told), so a second app on
// this machine needs both moved.
import { createServer } from "node:net";

/** Whether nothing listens on `port` at `host` right now. */
export function portIsFree(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the system picks among those nothing listens on. */
export function freePort(host = "127.0.0.1") {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `preferred` when free, else the next free port above it (up to 100 tries), else null. */
export async function firstFreePort(preferred, host = "127.0.0.1") {
  for (let port = preferred; port < preferred + 100 && port <= 65535; port += 1) {
    if (await portIsFree(port, host)) return port;
  }
  return null;
}

/** wrangler dev's arguments for an inspector port that is free (9229 when it is). */
export async function inspectorArgs(host = "127.0.0.1") {
  const port = (await firstFreePort(9229, host)) ?? (await freePort(host));
  return ["--inspector-port", String(port)];
}
