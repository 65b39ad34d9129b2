import { createServer } from 'node:http';

/*
 * The baseline every HTTP figure is divided by: node:http answering a small JSON body, with no
 * framework, no middleware and no store. Run as its own process, like a service; prints its port.
 */
const body = JSON.stringify({ currentUser: { id: '0123456789abcdef01234567', email: 'a@b.test' } });
const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
