import http from 'node:http';

export interface SseMessage {
  event: string;
  data: string;
}

/** A minimal EventSource: calls `onMessage` for every message with data, as it arrives. */
export function openSse(
  url: string,
  cookie: string,
  onMessage: (message: SseMessage) => void,
): Promise<{ close(): void }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`SSE ${url} answered ${res.statusCode}`));
        res.resume();
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = { event: 'message', data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) message.event = line.slice(7);
            else if (line.startsWith('data: ')) message.data += line.slice(6);
          }
          if (message.data) onMessage(message);
        }
      });
      resolve({ close: () => request.destroy() });
    });
    request.on('error', (err) => reject(err));
  });
}
