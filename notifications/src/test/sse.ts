import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { waitFor } from '@taskforge/common/testing';

export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/** A browser's EventSource, reduced to what tests look at: messages, comments, retry hint. */
export class SseClient {
  readonly messages: SseMessage[] = [];
  comments = 0;
  retry: number | undefined;
  private buffer = '';

  constructor(
    readonly response: http.IncomingMessage,
    private readonly request: http.ClientRequest,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.receive(chunk));
  }

  /** Waits for the first message (from `from` on) that matches. */
  next(match: (message: SseMessage) => boolean, from = 0): Promise<SseMessage> {
    return waitFor(() => this.messages.slice(from).find(match), { timeoutMs: 8000 });
  }

  of(event: string): SseMessage[] {
    return this.messages.filter((m) => m.event === event);
  }

  close(): void {
    this.request.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const message: SseMessage = { event: 'message', data: '' };
      let hasData = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments += 1;
        else if (line.startsWith('retry: ')) this.retry = Number(line.slice(7));
        else if (line.startsWith('id: ')) message.id = line.slice(4);
        else if (line.startsWith('event: ')) message.event = line.slice(7);
        else if (line.startsWith('data: ')) {
          message.data += line.slice(6);
          hasData = true;
        }
      }
      if (hasData) this.messages.push(message);
    }
  }
}

export interface StreamResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Set when the stream opened (200). */
  client?: SseClient;
  /** The JSON body of a refusal. */
  body?: unknown;
}

/** A real HTTP server for an app, as SSE needs a socket that stays open. */
export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
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

export function openStream(
  baseUrl: string,
  headers: Record<string, string> = {},
): Promise<StreamResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${baseUrl}/api/notifications/stream`, { headers }, (response) => {
      const status = response.statusCode ?? 0;
      if (status === 200) {
        resolve({ status, headers: response.headers, client: new SseClient(response, request) });
        return;
      }
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        resolve({ status, headers: response.headers, body: JSON.parse(text) }),
      );
    });
    request.on('error', reject);
  });
}
