import express from 'express';

/*
 * The baseline every HTTP figure is divided by: Express 5 answering a small JSON body with
 * res.json, with no middleware and no store. Run as its own process, like a service; prints its
 * port.
 */
const body = { currentUser: { id: '0123456789abcdef01234567', email: 'a@b.test' } };
const app = express();
app.get('/', (_req, res) => {
  res.json(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
