#!/usr/bin/env node
// The AWS SDK warns on every run that its releases after January 2027 need
// Node.js 22. leavegate supports Node.js >= 20.19 (package.json engines); the
// notice is not actionable for a leavegate user and would pollute the stderr
// pipelines read. The SDK's own switch turns it off (set it to "false" to see it).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { installExitGuard } = await import('../dist/src/exit-guard.js');
// Installed before main (plugins load inside it): from here on, the code passed
// to exit() is the only one the process can end with; a plugin's process.exit,
// an 'exit' listener or an uncaught error ends it with 2, never 0 or 1.
const exit = installExitGuard();
const { main } = await import('../dist/src/cli/main.js');
const { discardAllStagedSync } = await import('../dist/src/staged.js');

// A reader that went away (`| head -c1`, EPIPE) changes nothing about the
// verdict: its exit code stands. Any other output error (ENOSPC on
// `>/dev/full`) means the output is incomplete: exit 2 with one line.
let outputError;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err?.code !== 'EPIPE') outputError ??= err;
  });
}

// Interrupted: remove every staged temporary file (the previous reports stay
// as they were) and exit 2.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    discardAllStagedSync();
    try {
      process.stderr.write(`leavegate: interrupted by ${signal}; nothing more was written\n`);
    } catch {
      // stderr is gone too
    }
    exit(2);
  });
}

let code = await main(process.argv.slice(2));
// Let pending writes finish (or fail) before deciding the exit code.
for (const stream of [process.stdout, process.stderr]) {
  await new Promise((resolve) => {
    try {
      stream.write('', (err) => {
        if (err && err.code !== 'EPIPE') outputError ??= err;
        resolve();
      });
    } catch (err) {
      if (err?.code !== 'EPIPE') outputError ??= err;
      resolve();
    }
  });
}
if (outputError !== undefined) {
  try {
    process.stderr.write(
      `leavegate: error [io.failed] cannot write the output: ${outputError.code ?? outputError.message}\n`,
    );
  } catch {
    // nowhere left to say it
  }
  code = 2;
}
// 0 ready, 1 blocked, 2 error, 3 unknown: nothing else, ever.
exit([0, 1, 2, 3].includes(code) ? code : 2);
