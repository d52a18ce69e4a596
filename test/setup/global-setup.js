// Starts the services the integration tests need: moto_server on a free
// loopback port. Jest workers inherit process.env.MOTO_URL from here.
//
// Marker file (contract with .ci/run): dist/.jest-services.json, or the path in
// LEAVEGATE_SERVICES_FILE, is rewritten at every run with
//   { "runStartedAt": ISO, "moto": { "started": bool, "url"?: string, "reason"?: string } }
// so CI can fail when moto tests were skipped. Under CI=true a missing or
// broken moto_server fails the run right here instead.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the marker goes; global-teardown.js and .ci/run read the same path. */
export function servicesFile() {
  return process.env.LEAVEGATE_SERVICES_FILE ?? join(repoRoot, 'dist', '.jest-services.json');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/moto-api/`);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${url} within ${timeoutMs} ms`);
}

function writeMarker(moto) {
  const file = servicesFile();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({ runStartedAt: new Date().toISOString(), moto }, null, 2) + '\n',
  );
}

export default async function globalSetup() {
  // Node 20 is supported (package.json engines); keep the SDK's Node 22 notice out of test logs.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const ci = process.env.CI === 'true';
  const installed = spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0;
  if (!installed) {
    const reason = 'moto_server is not installed (pip install "moto[server]")';
    writeMarker({ started: false, reason });
    if (ci) throw new Error(`${reason}: CI=true requires the moto integration tests`);
    delete process.env.MOTO_URL;
    process.stderr.write(`\n[leavegate tests] ${reason}: moto integration tests will be SKIPPED\n`);
    return;
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    detached: false,
  });
  globalThis.__LEAVEGATE_MOTO__ = child;
  try {
    await waitUntilUp(url, child, 30000);
  } catch (err) {
    child.kill('SIGTERM');
    writeMarker({ started: false, reason: String(err) });
    if (ci) throw err;
    delete process.env.MOTO_URL;
    process.stderr.write(
      `\n[leavegate tests] ${String(err)}: moto integration tests will be SKIPPED\n`,
    );
    return;
  }
  process.env.MOTO_URL = url;
  writeMarker({ started: true, url });
}
