/** The client's server-side settings, read once; a missing one stops the server with its name. */
export interface ServerConfig {
  /** Where the server reaches the APIs: the ingress controller in Kubernetes, the gateway locally. */
  apiUrl: URL;
  /** The Host the ingress routes by, when `apiUrl` is not itself that host. */
  apiHost: string | undefined;
}

let cached: ServerConfig | undefined;

export function readServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const raw = env.API_URL?.trim();
  if (!raw) {
    throw new Error(
      'API_URL is not set: the base URL the client server calls the APIs at ' +
        '(the local stack sets it; in Kubernetes the ingress controller).',
    );
  }
  let apiUrl: URL;
  try {
    apiUrl = new URL(raw);
  } catch {
    throw new Error(`API_URL is not a URL: ${raw}`);
  }
  if (apiUrl.protocol !== 'http:' && apiUrl.protocol !== 'https:') {
    throw new Error(`API_URL must be http(s): ${raw}`);
  }
  const apiHost = env.API_HOST?.trim() || undefined;
  if (apiHost && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(apiHost)) {
    throw new Error(`API_HOST must be a host name: ${apiHost}`);
  }
  return { apiUrl, apiHost };
}

export function serverConfig(): ServerConfig {
  cached ??= readServerConfig();
  return cached;
}
