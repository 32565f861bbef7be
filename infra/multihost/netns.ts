/**
 * Simulated hosts on one machine: Linux network namespaces joined by virtual
 * links, for the multi-host run (./multihost.ts) and the fault scenario of a
 * worker host cut off from the services (test/faults/worker-cut-off.test.ts).
 *
 *   root namespace ── PREFIXh0 (SUBNET.254) ─┐
 *                                              │ veth
 *   PREFIXsvc:  br0 (SUBNET.1): Temporal + Postgres, listening on SUBNET.1
 *                 ├── v1 ══ veth ══ eth0 (SUBNET.11)  PREFIXw1: a worker
 *                 ├── v2 ══ veth ══ eth0 (SUBNET.12)  PREFIXw2: a worker
 *                 └── …
 *
 * Each worker host reaches the services by address only: its namespace has
 * its loopback and its end of one link, nothing else (no default route, no
 * way out of the machine). The root namespace gets one link into the
 * services' bridge, so the CLI and the checks run from it like a laptop on
 * the cluster's network. "Taking a host's link down" sets the services' end
 * of that host's link down: its packets go nowhere, as when a switch port or
 * a cable fails (no reset reaches either side).
 *
 * Needs root and iproute2 (`ip netns`). Every name starts with the prefix, and
 * `createTopology` first removes what a crashed earlier run with the same
 * prefix left behind: processes still in its namespaces (killed by pid), the
 * namespaces and its root-side link.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { supervise, type SupervisedProcess } from '../../src/stack/processes';

export interface SimulatedHost {
  /** 'w1', 'w2', … */
  readonly name: string;
  /** The host's network namespace. */
  readonly netns: string;
  /** Its address on the link. */
  readonly address: string;
  /** The services' end of its link (in the services' namespace), the one a cut takes down. */
  readonly link: string;
}

export interface Topology {
  readonly prefix: string;
  /** The /24 every address is in, e.g. '10.216.1.0/24'. */
  readonly network: string;
  /** Namespace of the services (Temporal, Postgres). */
  readonly servicesNetns: string;
  /** The address they listen on. */
  readonly servicesAddress: string;
  /** The root namespace's end of its link into the services' bridge, and its address. */
  readonly rootLink: string;
  readonly rootAddress: string;
  readonly hosts: readonly SimulatedHost[];
}

export interface TopologyOptions {
  /** Start of every namespace and root-side link name, e.g. 'sl16-mh-' (the link's name, prefix + 'h0', must fit 15 characters). */
  readonly prefix: string;
  /** The first three octets of the /24, e.g. '10.216.1'. */
  readonly subnet: string;
  /** Worker hosts to make. */
  readonly hosts: number;
}

/** Why namespaces cannot be made here, or null when they can. */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return `network namespaces are Linux-only (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'making network namespaces needs root';
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'pipe' });
  } catch (e) {
    return `\`ip netns\` (iproute2) does not work here: ${(e as Error).message.split('\n')[0]}`;
  }
  return null;
}

function ip(...args: string[]): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`ip ${args.join(' ')} failed: ${(err.stderr || err.message).trim()}`);
  }
}

function tryIp(...args: string[]): void {
  try {
    ip(...args);
  } catch {
    // already gone
  }
}

/** Pids of the processes in a namespace (`ip netns pids`). */
export function pidsIn(netns: string): number[] {
  try {
    return ip('netns', 'pids', netns)
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
      .filter((pid) => Number.isInteger(pid) && pid > 0);
  } catch {
    return [];
  }
}

function namespacesWithPrefix(prefix: string): string[] {
  return ip('netns', 'list')
    .split('\n')
    .map((line) => line.split(/\s+/)[0] ?? '')
    .filter((name) => name.startsWith(prefix));
}

/**
 * Removes every namespace whose name starts with the prefix and the root-side link:
 * processes still inside are killed by pid (SIGKILL; stop them gently before this).
 */
export async function removeTopologyByPrefix(prefix: string): Promise<void> {
  if (!prefix.startsWith('sl16-')) throw new Error(`refusing to remove namespaces of prefix '${prefix}': not ours (sl16-)`);
  for (const netns of namespacesWithPrefix(prefix)) {
    for (const pid of pidsIn(netns)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    // A namespace lives on while a process is in it: wait for the killed ones to go.
    const deadline = Date.now() + 10_000;
    while (pidsIn(netns).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    tryIp('netns', 'delete', netns);
  }
  if (existsSync(`/sys/class/net/${prefix}h0`)) tryIp('link', 'delete', `${prefix}h0`);
}

export async function removeTopology(topology: Topology): Promise<void> {
  await removeTopologyByPrefix(topology.prefix);
}

/** Makes the services' namespace with its bridge, one namespace and link per worker host, and the root namespace's link. */
export async function createTopology(options: TopologyOptions): Promise<Topology> {
  const { prefix, subnet } = options;
  if (!/^sl16-[a-z0-9-]*$/.test(prefix) || `${prefix}h0`.length > 15) throw new Error(`bad prefix '${prefix}' (sl16-…, at most 13 characters)`);
  if (!/^10\.216\.\d{1,3}$/.test(subnet)) throw new Error(`bad subnet '${subnet}': three octets in 10.216.0.0/16`);
  await removeTopologyByPrefix(prefix);

  const servicesNetns = `${prefix}svc`;
  const rootLink = `${prefix}h0`;
  const topology: Topology = {
    prefix,
    network: `${subnet}.0/24`,
    servicesNetns,
    servicesAddress: `${subnet}.1`,
    rootLink,
    rootAddress: `${subnet}.254`,
    hosts: Array.from({ length: options.hosts }, (_, i) => ({
      name: `w${i + 1}`,
      netns: `${prefix}w${i + 1}`,
      address: `${subnet}.${11 + i}`,
      link: `v${i + 1}`,
    })),
  };
  try {
    const svc = (...args: string[]) => ip('-n', servicesNetns, ...args);
    ip('netns', 'add', servicesNetns);
    svc('link', 'set', 'lo', 'up');
    svc('link', 'add', 'br0', 'type', 'bridge');
    svc('addr', 'add', `${topology.servicesAddress}/24`, 'dev', 'br0');
    svc('link', 'set', 'br0', 'up');

    ip('link', 'add', rootLink, 'type', 'veth', 'peer', 'name', 'h0', 'netns', servicesNetns);
    svc('link', 'set', 'h0', 'master', 'br0');
    svc('link', 'set', 'h0', 'up');
    ip('addr', 'add', `${topology.rootAddress}/24`, 'dev', rootLink);
    ip('link', 'set', rootLink, 'up');

    for (const host of topology.hosts) {
      ip('netns', 'add', host.netns);
      ip('-n', host.netns, 'link', 'set', 'lo', 'up');
      // Made inside the services' namespace, its peer moved straight into the host's.
      svc('link', 'add', host.link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns);
      svc('link', 'set', host.link, 'master', 'br0');
      svc('link', 'set', host.link, 'up');
      ip('-n', host.netns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
      ip('-n', host.netns, 'link', 'set', 'eth0', 'up');
    }
  } catch (e) {
    await removeTopology(topology);
    throw e;
  }
  return topology;
}

/** Takes a host's link down (cut off: nothing gets through, nothing is reset) or brings it back up. */
export function setHostLink(topology: Topology, host: SimulatedHost, up: boolean): void {
  ip('-n', topology.servicesNetns, 'link', 'set', host.link, up ? 'up' : 'down');
}

/** A process on a simulated host; `ip netns exec` execs the command, so `pid` is the command's own. */
export interface HostProcess extends SupervisedProcess {
  readonly host: SimulatedHost;
}

/**
 * Runs a command on a simulated host: in its network namespace and a UTS namespace of its own
 * whose hostname is the host's namespace name (so a worker's identity, `pid@hostname`, names
 * its host), with the given environment added to ours. `ip netns exec`, `unshare` and `sh`
 * each exec the next: the child's pid is the command's.
 */
export function runOnHost(host: SimulatedHost, command: string, args: readonly string[], env: Record<string, string>): HostProcess {
  const child = spawn('ip', ['netns', 'exec', host.netns, 'unshare', '--uts', '--', 'sh', '-c', 'hostname "$0" && exec "$@"', host.netns, command, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { ...supervise(child), host };
}

