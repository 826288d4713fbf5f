import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * Where a server process's time went during a run, from /proc (Linux): its CPU (all threads: main, libuv
 * pool, GC), and its main thread split into running, runnable but waiting for a core (the bench's clients
 * share the two cores), and off the CPU (idle in epoll, or blocked in a synchronous fsync).
 */
export interface ProcSample {
  at: number;
  cpuTicks: number;
  mainRunNs: number;
  mainWaitNs: number;
}

export function sampleProc(pid: number): ProcSample {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
  return { at: performance.now(), cpuTicks: Number(fields[11]) + Number(fields[12]), mainRunNs: run!, mainWaitNs: wait! };
}

/** Shares of the wall time between two samples (1 = one core for the whole run); USER_HZ is 100 on Linux. */
export function procShares(a: ProcSample, b: ProcSample) {
  const wallMs = b.at - a.at;
  const run = (b.mainRunNs - a.mainRunNs) / 1e6 / wallMs;
  const wait = (b.mainWaitNs - a.mainWaitNs) / 1e6 / wallMs;
  return { cpu: ((b.cpuTicks - a.cpuTicks) * 10) / wallMs, mainRun: run, mainWait: wait, mainOff: Math.max(0, 1 - run - wait) };
}

/** This process's own CPU over a run, as a share of one core. */
export function selfCpu(since: NodeJS.CpuUsage, wallMs: number): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000 / wallMs;
}
