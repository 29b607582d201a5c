import * as net from 'net';

export const LOCALHOST = '127.0.0.1';

/** Ports handed out by this process recently, so parallel callers never get the same one. */
const handedOut = new Set<number>();

function listenOn(port: number, host: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => resolve(server));
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** True when nothing listens on `host:port` and we may bind it. */
export async function isPortFree(port: number, host = LOCALHOST): Promise<boolean> {
  try {
    const server = await listenOn(port, host);
    await close(server);
    return true;
  } catch {
    return false;
  }
}

/** One free TCP port on 127.0.0.1 (chosen by the OS). */
export async function getFreePort(host = LOCALHOST): Promise<number> {
  const [port] = await getFreePorts(1, host);
  return port;
}

/** `count` distinct free TCP ports on 127.0.0.1. */
export async function getFreePorts(count: number, host = LOCALHOST): Promise<number[]> {
  const servers: net.Server[] = [];
  const ports: number[] = [];
  try {
    let attempts = 0;
    while (ports.length < count) {
      if (++attempts > count * 20) throw new Error(`could not find ${count} free ports on ${host}`);
      const server = await listenOn(0, host);
      const port = (server.address() as net.AddressInfo).port;
      servers.push(server);
      if (handedOut.has(port)) continue;
      ports.push(port);
    }
  } finally {
    await Promise.all(servers.map(close));
  }
  for (const p of ports) handedOut.add(p);
  if (handedOut.size > 10_000) handedOut.clear();
  return ports;
}

/** Throws a readable error when a fixed port is taken. */
export async function assertPortFree(port: number, what: string, hint?: string): Promise<void> {
  if (!(await isPortFree(port))) {
    throw new Error(`port ${port} (${what}) is already in use on ${LOCALHOST}` + (hint ? `: ${hint}` : '; is another stack running?'));
  }
}
