import { ExitCode } from './errors.js';
import { runCli } from './program.js';

// SIGINT/SIGTERM abort the running command: `serve` closes the server and the store, `import`
// finishes its batch and saves its state. A second signal, or a command that takes more than
// 10 s to stop, exits at once.
const controller = new AbortController();
const stop = (signal: NodeJS.Signals) => {
  if (controller.signal.aborted) process.exit(ExitCode.interrupted);
  controller.abort(new Error(`received ${signal}`));
  setTimeout(() => process.exit(ExitCode.interrupted), 10_000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Writing into a closed pipe (`scimkit export | head`) is a normal way to stop.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(ExitCode.ok);
  throw error;
});

void runCli(process.argv.slice(2), { signal: controller.signal }).then((code) => {
  process.exitCode = code;
  // Exit even if a library left a handle open (an idle keep-alive socket), once output is flushed.
  setTimeout(() => process.exit(code), 2000).unref();
});
