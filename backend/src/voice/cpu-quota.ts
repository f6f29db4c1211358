/**
 * Confines the speech binaries (pocketsphinx, espeak-ng) to a CPU quota in a Linux control group of their own, so that
 * voice requests, however many, can never take the cores the API's other requests need. Niceness alone does not do
 * it: with autogroup scheduling (the default on desktop and many server kernels) the API and its children sit in one
 * group, and the kernel shares the CPU between groups, not processes.
 *
 * Works with cgroup v2 (a delegated subtree whose parent enables the `cpu` controller) and with v1's `cpu`
 * hierarchy. Where neither is writable (no permission, no controller) there is no quota and the binaries only run at
 * the lowest priority, and `createCpuQuota` says why.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const PERIOD_US = 100_000;
const GROUP_PREFIX = "trvl-speech-";
/**
 * An eighth of a normal process's CPU weight (v2's default weight is 100, v1's shares 1024): contended, speech yields
 * most of the CPU to the API and still moves; the lowest weight would starve it for as long as anything else is busy.
 */
const V2_WEIGHT = 12;
const V1_SHARES = 128;

export interface CpuQuota {
  /** The control group's directory. */
  readonly directory: string;
  readonly cores: number;
  /** The command that runs `file args` inside the group: a shell that joins it, then becomes the binary. */
  confine(file: string, args: string[]): { file: string; args: string[] };
}

interface Hierarchy {
  version: 1 | 2;
  /** The cgroup this process belongs to, as a directory. */
  own: string;
}

/** Finds the cgroup hierarchy holding the cpu controller for this process, from /proc's view of the mounts. */
export function findCpuHierarchy(
  proc: { mountinfo: string; cgroup: string } = {
    mountinfo: readFileSync("/proc/self/mountinfo", "utf8"),
    cgroup: readFileSync("/proc/self/cgroup", "utf8"),
  },
): Hierarchy | undefined {
  const mounts = proc.mountinfo.split("\n").map((line) => {
    const [before, after = ""] = line.split(" - ");
    const fields = before.split(" ");
    const [fsType = "", , superOptions = ""] = after.split(" ");
    return { root: fields[3] ?? "", mountPoint: fields[4] ?? "", fsType, superOptions: superOptions.split(",") };
  });
  const membership = proc.cgroup
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [, controllers = "", ...rest] = line.split(":");
      return { controllers: controllers.split(","), path: rest.join(":") };
    });
  const within = (mount: { root: string; mountPoint: string }, cgroupPath: string) =>
    path.join(mount.mountPoint, path.relative(mount.root, cgroupPath));

  const v1 = mounts.find((m) => m.fsType === "cgroup" && m.superOptions.includes("cpu"));
  const v1Member = membership.find((m) => m.controllers.includes("cpu"));
  if (v1 && v1Member) return { version: 1, own: within(v1, v1Member.path) };

  const v2 = mounts.find((m) => m.fsType === "cgroup2");
  const v2Member = membership.find((m) => m.controllers.length === 1 && m.controllers[0] === "");
  if (v2 && v2Member) {
    const own = within(v2, v2Member.path);
    const controllers = readOptional(path.join(own, "cgroup.subtree_control")) ?? "";
    if (controllers.split(/\s+/).includes("cpu")) return { version: 2, own };
  }
  return undefined;
}

/**
 * Creates this process's speech group with a quota of `cores` CPUs and a low CPU weight, or returns the reason it
 * cannot. One group serves the whole process (every services container in it) and is removed when the process exits;
 * groups left behind by processes that were killed are removed by the next one.
 */
export function createCpuQuota(
  cores: number,
  options: { hierarchy?: Hierarchy; pid?: number } = {},
): CpuQuota | { unavailable: string } {
  if (!(cores > 0)) return { unavailable: "no quota configured" };
  let hierarchy: Hierarchy | undefined;
  try {
    hierarchy = options.hierarchy ?? findCpuHierarchy();
  } catch (error) {
    return { unavailable: `cannot read /proc: ${(error as Error).message}` };
  }
  if (!hierarchy) return { unavailable: "no cgroup hierarchy with the cpu controller is delegated to this process" };
  const pid = options.pid ?? process.pid;
  removeAbandonedGroups(hierarchy.own);
  const directory = path.join(hierarchy.own, `${GROUP_PREFIX}${pid}`);
  const quotaUs = Math.max(1_000, Math.round(cores * PERIOD_US));
  try {
    if (!existsSync(directory)) {
      mkdirSync(directory);
      process.once("exit", () => removeGroup(directory));
    }
    if (hierarchy.version === 2) {
      writeFileSync(path.join(directory, "cpu.max"), `${quotaUs} ${PERIOD_US}`);
      writeFileSync(path.join(directory, "cpu.weight"), String(V2_WEIGHT));
    } else {
      writeFileSync(path.join(directory, "cpu.cfs_period_us"), String(PERIOD_US));
      writeFileSync(path.join(directory, "cpu.cfs_quota_us"), String(quotaUs));
      writeFileSync(path.join(directory, "cpu.shares"), String(V1_SHARES));
    }
  } catch (error) {
    removeGroup(directory);
    return { unavailable: `cannot set up ${directory}: ${(error as Error).message}` };
  }
  const procs = path.join(directory, "cgroup.procs");
  return {
    directory,
    cores,
    // `$0` is the group's procs file and `$@` the command: nothing is interpolated into the script.
    confine: (file, args) => ({ file: "/bin/sh", args: ["-c", 'echo $$ > "$0" && exec "$@"', procs, file, ...args] }),
  };
}

function removeAbandonedGroups(parent: string): void {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(GROUP_PREFIX)) continue;
    const owner = Number(entry.slice(GROUP_PREFIX.length));
    if (Number.isInteger(owner) && !isAlive(owner)) removeGroup(path.join(parent, entry));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function removeGroup(directory: string): void {
  try {
    rmdirSync(directory);
  } catch {
    // Still has processes (they leave it when they exit), or already gone.
  }
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
