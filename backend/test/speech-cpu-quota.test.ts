import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { createCpuQuota, findCpuHierarchy, type CpuQuota } from "../src/voice/cpu-quota.js";
import { run } from "../src/voice/exec.js";

const DEAD_PID = 2 ** 22 + 1; // above Linux's pid_max limit: never a live process

describe("finding the cpu controller's hierarchy", () => {
  it("reads cgroup v1's cpu hierarchy (co-mounted with cpuacct) and the process's place in it", () => {
    const hierarchy = findCpuHierarchy({
      mountinfo: [
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
        "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
      ].join("\n"),
      cgroup: ["4:memory:/job", "2:cpu,cpuacct:/system.slice/trvl.service", "0::/"].join("\n"),
    });
    expect(hierarchy).toEqual({ version: 1, own: "/sys/fs/cgroup/cpu,cpuacct/system.slice/trvl.service" });
  });

  it("uses cgroup v2 only where the process's own group delegates the cpu controller to its children", () => {
    const mount = mkdtempSync(path.join(tmpdir(), "trvl-cgroup2-"));
    mkdirSync(path.join(mount, "app"));
    const proc = {
      mountinfo: `41 31 0:38 / ${mount} rw,relatime - cgroup2 cgroup2 rw`,
      cgroup: "0::/app",
    };
    writeFileSync(path.join(mount, "app", "cgroup.subtree_control"), "memory pids\n");
    expect(findCpuHierarchy(proc)).toBeUndefined();
    writeFileSync(path.join(mount, "app", "cgroup.subtree_control"), "cpu memory pids\n");
    expect(findCpuHierarchy(proc)).toEqual({ version: 2, own: path.join(mount, "app") });
  });

  it("finds none on a machine without cgroups", () => {
    expect(findCpuHierarchy({ mountinfo: "22 1 0:21 / /proc rw - proc proc rw", cgroup: "" })).toBeUndefined();
  });
});

describe("setting up the speech group", () => {
  it("writes a v2 quota of the configured cores and a low weight, and clears groups of dead processes", () => {
    const own = mkdtempSync(path.join(tmpdir(), "trvl-cgroup-own-"));
    mkdirSync(path.join(own, `trvl-speech-${DEAD_PID}`));
    mkdirSync(path.join(own, "someone-elses-group"));
    const quota = createCpuQuota(0.5, { hierarchy: { version: 2, own }, pid: 4242 }) as CpuQuota;
    expect(quota.directory).toBe(path.join(own, "trvl-speech-4242"));
    expect(readFileSync(path.join(quota.directory, "cpu.max"), "utf8")).toBe("50000 100000");
    expect(readFileSync(path.join(quota.directory, "cpu.weight"), "utf8")).toBe("12");
    expect(existsSync(path.join(own, `trvl-speech-${DEAD_PID}`))).toBe(false);
    expect(existsSync(path.join(own, "someone-elses-group"))).toBe(true);
  });

  it("writes v1's period, quota and low shares", () => {
    const own = mkdtempSync(path.join(tmpdir(), "trvl-cgroup-own-"));
    const quota = createCpuQuota(1.5, { hierarchy: { version: 1, own }, pid: 4243 }) as CpuQuota;
    expect(readFileSync(path.join(quota.directory, "cpu.cfs_period_us"), "utf8")).toBe("100000");
    expect(readFileSync(path.join(quota.directory, "cpu.cfs_quota_us"), "utf8")).toBe("150000");
    expect(readFileSync(path.join(quota.directory, "cpu.shares"), "utf8")).toBe("128");
  });

  it("says why there is no quota rather than failing", () => {
    expect(createCpuQuota(0)).toEqual({ unavailable: "no quota configured" });
    const result = createCpuQuota(1, { hierarchy: { version: 2, own: "/nonexistent/trvl" }, pid: 4244 });
    expect(result).toEqual({
      unavailable: expect.stringContaining("cannot set up /nonexistent/trvl/trvl-speech-4244"),
    });
  });

  it("confines a command without interpreting its arguments as shell", () => {
    const own = mkdtempSync(path.join(tmpdir(), "trvl-cgroup-own-"));
    const quota = createCpuQuota(1, { hierarchy: { version: 2, own }, pid: 4245 }) as CpuQuota;
    const command = quota.confine("/usr/bin/espeak-ng", ["--", "$(touch /tmp/pwned); `id`"]);
    expect(command.file).toBe("/bin/sh");
    expect(command.args.slice(2)).toEqual([
      path.join(quota.directory, "cgroup.procs"),
      "/usr/bin/espeak-ng",
      "--",
      "$(touch /tmp/pwned); `id`",
    ]);
  });
});

// The kernel's side: runs where this process may create control groups (CI and the dev machine run as root).
const hierarchy = findCpuHierarchy();
const kernelQuota = hierarchy && process.getuid?.() === 0 ? createCpuQuota(0.05) : undefined;
describe.runIf(kernelQuota && !("unavailable" in kernelQuota))("speech under the kernel's quota", () => {
  const quota = kernelQuota as CpuQuota;

  it("runs each binary inside the group, with its arguments intact", async () => {
    const { stdout } = await run("/bin/sh", ["-c", 'cat /proc/self/cgroup; printf "%s" "$1"', "sh", "a b; $(id)"], {
      timeoutMs: 10_000,
      cpu: quota,
    });
    const text = stdout.toString();
    expect(text).toContain(`/${path.basename(quota.directory)}\n`);
    expect(text.endsWith("a b; $(id)")).toBe(true);
  });

  it("throttles a binary that wants more CPU than the quota", async () => {
    // Far more CPU than the 5 ms a 100 ms period grants: the kernel must throttle it.
    await run("/bin/sh", ["-c", "i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done"], { timeoutMs: 60_000, cpu: quota });
    const stat = Object.fromEntries(
      readFileSync(path.join(quota.directory, "cpu.stat"), "utf8")
        .trim()
        .split("\n")
        .map((line) => line.split(" ") as [string, string]),
    );
    expect(Number(stat.nr_throttled)).toBeGreaterThan(0);
  });
});
