#!/usr/bin/env node
// Starts everything a newcomer needs: migrations, the demo organisation, the API and a worker.
// Either process exiting stops the other; Ctrl-C stops both gracefully.
import { spawn, spawnSync } from 'node:child_process';

const node = process.execPath;
const cli = (...args) => {
  const r = spawnSync(node, ['dist/apps/cli/main.js', ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

cli('migrate');
cli('seed-demo');
// What a newcomer needs, above the JSON logs that follow: where to go, and where the links are.
const url = process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
process.stdout.write(
  `\ntrellis: open ${url}/sign-in in a browser and sign in as one of the people above (HR's home page\n` +
    'trellis: shows the open round, live); answer that round through one of the links above.\n' +
    // Links are passwords, so they never go to the log; without a mail server they are files.
    (process.env.SMTP_URL
      ? 'trellis: invitation emails go to the SMTP server in SMTP_URL.\n'
      : `trellis: without SMTP_URL, every email (survey links, sign-in invitations) is a file in ${process.env.OUTBOX_DIR ?? 'var/outbox'}/\n`) +
    'trellis: the API and the worker log JSON below; stop both with Ctrl-C.\n\n',
);

const children = ['api', 'worker'].map((name) =>
  spawn(node, [`dist/apps/${name}/main.js`], { stdio: 'inherit' }),
);
let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
};
process.on('SIGINT', () => stop('SIGTERM'));
process.on('SIGTERM', () => stop('SIGTERM'));
let exitCode = 0;
for (const child of children) {
  child.on('exit', (code) => {
    exitCode ||= code ?? 0;
    stop('SIGTERM');
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(exitCode);
  });
}
