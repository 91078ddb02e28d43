#!/usr/bin/env node
// `npm start` runs this before the build: a port already taken would otherwise surface minutes
// later as a stack trace from the API. One line, what to do about it.
import { createServer } from 'node:net';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const server = createServer();
server.once('error', (error) => {
  const why =
    error.code === 'EADDRINUSE'
      ? 'is already in use (is Trellis already running?)'
      : `cannot be used (${error.code ?? error.message})`;
  process.stderr.write(
    `trellis: port ${port} on ${host} ${why}; stop what holds it, or start on another port with PORT=${port + 1} npm start\n`,
  );
  process.exit(1);
});
server.listen(port, host, () => server.close());
