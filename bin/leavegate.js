#!/usr/bin/env node
// The AWS SDK warns on every run that its releases after January 2027 need
// Node.js 22. leavegate supports Node.js >= 20.19 (package.json engines); the
// notice is not actionable for a leavegate user and would pollute the stderr
// pipelines read. The SDK's own switch turns it off (set it to "false" to see it).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { main } = await import('../dist/src/cli/main.js');
const { installExitGuard } = await import('../dist/src/rules/plugins.js');
// Installed before main (plugins load inside it): from here on, the code passed
// to exit() is the only one the process can end with; a plugin's process.exit,
// an 'exit' listener or an uncaught error ends it with 2, never 0 or 1.
const exit = installExitGuard();
exit(await main(process.argv.slice(2)));
