import { readdirSync, readFileSync } from 'node:fs';

/**
 * Host PIDs of the processes whose environment holds `NAME=value` — how a test finds a
 * function's processes from outside (inside its sandbox a function sees only its own PID
 * namespace, so a PID it reports means nothing on the host). Needs to read other processes'
 * /proc/PID/environ: the tests run as root, as CI does.
 */
export function processesWithEnv(name: string, value: string): number[] {
  const needle = Buffer.from(`${name}=${value}\0`);
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`).includes(needle)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return pids;
}
