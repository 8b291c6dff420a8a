/** Endpoints that never answer, for the circuit breaker's tests: a dead gateway and a refused port. */
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface DeadGateway {
  url: string;
  /** Requests received so far (connections that sent a request line; a client may open idle ones too). */
  requests(): number;
  close(): Promise<void>;
}

/** A gateway that accepts TCP connections, reads what is sent, and never answers a byte. */
export async function startDeadGateway(): Promise<DeadGateway> {
  const sockets = new Set<net.Socket>();
  let requests = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let counted = false;
    socket.on('data', () => {
      if (!counted) requests++;
      counted = true;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A URL on 127.0.0.1 where nothing listens: connections are refused at once. */
export async function refusedUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
