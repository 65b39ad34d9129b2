import { join } from 'node:path';
import type { NextConfig } from 'next';

const config: NextConfig = {
  // One self-contained server (server.js + the node_modules it traced) for the image and `npm start`.
  output: 'standalone',
  // The workspace's dependencies are hoisted to the repository root.
  outputFileTracingRoot: join(__dirname, '..'),
  poweredByHeader: false,
  reactStrictMode: true,
  // No framing (clickjacking), no MIME sniffing, no full URLs (with ids) sent to other sites.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default config;
