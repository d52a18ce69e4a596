#!/usr/bin/env node
// The AWS SDK warns on every run that its releases after January 2027 need
// Node.js 22. leavegate supports Node.js >= 20.19 (package.json engines); the
// notice is not actionable for a leavegate user and would pollute the stderr
// pipelines read. The SDK's own switch turns it off (set it to "false" to see it).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
