import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import express, { type Express } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { matchRoute, type IngressRoute } from './ingress';

export interface GatewayOptions {
  routes: IngressRoute[];
  /** Where a Kubernetes Service (name, port) listens on this machine. */
  upstream: (service: string, port: number) => string | undefined;
  onError?: (err: Error, service: string) => void;
}

function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ errors: [{ message }] }));
}

/**
 * Routes like ingress-nginx does for the suite's Ingress: longest `Prefix` wins, the path is
 * passed on unchanged, the Host header is kept, X-Forwarded-For/Proto are set (the services
 * trust one proxy hop), and responses stream through unbuffered, so Server-Sent Events work.
 * The local stack runs nginx instead when it is installed (`nginx-gateway.ts`); this is the
 * fallback, in the stack's own process.
 */
export function createGateway(options: GatewayOptions): Express {
  const targetOf = (req: IncomingMessage) => {
    const route = matchRoute(options.routes, new URL(req.url ?? '/', 'http://gateway').pathname);
    return route ? { route, target: options.upstream(route.service, route.port) } : undefined;
  };

  // Connections to the services are kept and reused, as ingress-nginx keeps its upstreams'.
  // Without an agent the proxy opens one per request and asks the service to close it. A kept
  // connection is dropped a second before the service's keep-alive timeout (its Keep-Alive
  // header), so none is reused as the service closes it.
  const agent = new Agent({ keepAlive: true, scheduling: 'lifo' });

  const proxy = createProxyMiddleware<IncomingMessage, ServerResponse>({
    router: (req) => targetOf(req)?.target,
    agent,
    xfwd: true,
    ws: true,
    // An SSE stream is open for as long as the browser keeps it; ingress sets long timeouts too.
    proxyTimeout: 0,
    on: {
      // Connection is hop-by-hop: a client's `Connection: close` ends its own connection to the
      // gateway, not the gateway's kept connection to the service.
      proxyReq: (proxyReq) => {
        proxyReq.setHeader('connection', 'keep-alive');
      },
      error: (err, req, res) => {
        const service = targetOf(req as IncomingMessage)?.route.service ?? 'upstream';
        options.onError?.(err, service);
        if ('writeHead' in res) sendError(res, 502, `The ${service} service is not reachable`);
        else res.destroy();
      },
    },
  });

  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const match = targetOf(req);
    if (!match) {
      sendError(res, 404, 'No ingress route for this path');
      return;
    }
    if (!match.target) {
      sendError(res, 503, `The ${match.route.service} service is not running in this stack`);
      return;
    }
    next();
  });
  app.use(proxy);
  return app;
}
