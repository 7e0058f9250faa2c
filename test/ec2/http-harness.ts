import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../src/core/shared/request-context.js';
import type { ServiceHandler } from '../../src/wire/service-handler.js';

/**
 * A bare node:http server in front of a ServiceHandler, standing in for the real server (no
 * SigV4 check): every request gets a fixed account, the region of its credential scope and a
 * fresh request id.
 */
export interface TestServer {
  url: string;
  close(): Promise<void>;
}

export async function serve(handler: ServiceHandler, context: Omit<RequestContext, 'requestId'>): Promise<TestServer> {
  const server: Server = createServer((req, res) => {
    readBody(req)
      .then((body) =>
        handler({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
          body,
          context: { ...context, region: scopeRegion(req.headers.authorization) ?? context.region, requestId: randomUUID() },
        }),
      )
      .then((response) => {
        res.writeHead(response.status, response.headers);
        res.end(response.body);
      })
      .catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The region of the SigV4 credential scope (`Credential=AKID/date/REGION/service/aws4_request`). */
function scopeRegion(authorization: string | undefined): string | undefined {
  return authorization?.match(/Credential=[^/]+\/\d{8}\/([^/]+)\//)?.[1];
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
