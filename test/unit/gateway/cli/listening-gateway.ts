import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openHubApp, type HubApp } from '../routes/hub-app';

/** A development gateway listening on 127.0.0.1 (an ephemeral port), for the CLI to reach over real HTTP. */
export interface ListeningGateway {
  readonly url: string;
  readonly hub: HubApp;
  close(): Promise<void>;
}

export async function listenGateway(options: Parameters<typeof openHubApp>[0] = {}): Promise<ListeningGateway> {
  const hub = await openHubApp(options);
  const server = await listenLocal(hub.app);
  return {
    url: urlOf(server),
    hub,
    async close() {
      await closeServer(server);
      await hub.dispose();
    },
  };
}

/** Starts a request listener (an Express app, or a test's own fake) on 127.0.0.1 with a port the system picks. */
export function listenLocal(handler: RequestListener): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve(server);
    });
  });
}

export const urlOf = (server: Server): string => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

export function closeServer(server: Server): Promise<void> {
  // Keep-alive sockets left by fetch would hold close() open until they time out.
  server.closeAllConnections();
  return new Promise((resolve, reject) => {
    server.close((error) => {
      if (error === undefined) resolve();
      else reject(error);
    });
  });
}

/** A URL on which nothing listens: a port the system handed out and that was closed again. */
export async function refusingUrl(): Promise<string> {
  const server = await listenLocal((_req, res) => res.end());
  const url = urlOf(server);
  await closeServer(server);
  return url;
}
