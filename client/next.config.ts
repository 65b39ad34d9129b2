import { join } from 'node:path';
import type { NextConfig } from 'next';

const config: NextConfig = {
  // One self-contained server (server.js + the node_modules it traced) for the image and `npm start`.
  output: 'standalone',
  // The workspace's dependencies are hoisted to the repository root.
  outputFileTracingRoot: join(__dirname, '..'),
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
