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

/**
 * Where free ports are looked for: below Linux's ephemeral range (32768-60999), from which the
 * OS picks the local port of every outgoing connection and of every `listen(0)`. A port chosen
 * there can be taken by such a connection before the server we start binds it (seen as the
 * Temporal dev server's "bind: address already in use" under parallel test stacks).
 */
export const FREE_PORT_RANGE = { from: 20_000, to: 32_767 } as const;

/** One free TCP port on 127.0.0.1. */
export async function getFreePort(host = LOCALHOST): Promise<number> {
  const [port] = await getFreePorts(1, host);
  return port;
}

/** `count` distinct free TCP ports on 127.0.0.1, at random in FREE_PORT_RANGE. */
export async function getFreePorts(count: number, host = LOCALHOST): Promise<number[]> {
  const ports: number[] = [];
  const span = FREE_PORT_RANGE.to - FREE_PORT_RANGE.from + 1;
  let attempts = 0;
  while (ports.length < count) {
    if (++attempts > count * 50)
      throw new Error(`could not find ${count} free ports on ${host} in ${FREE_PORT_RANGE.from}-${FREE_PORT_RANGE.to}`);
    const port = FREE_PORT_RANGE.from + Math.floor(Math.random() * span);
    if (handedOut.has(port) || ports.includes(port) || !(await isPortFree(port, host))) continue;
    ports.push(port);
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
