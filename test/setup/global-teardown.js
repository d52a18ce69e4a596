// Stops the moto_server started by global-setup.js (same process as the setup).
export default async function globalTeardown() {
  const child = globalThis.__LEAVEGATE_MOTO__;
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
