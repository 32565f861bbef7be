"""The Python peers of bench/peers.ts: one workload on Optuna or Ray Tune per run.

    python peers_driver.py optuna|ray --workload sleep|instant|process --trials N
        [--seconds D] [--concurrency C] [--cap S] [--reuse R]
        [--storage URL] [--study NAME] [--ray-dir DIR]

Prints progress to stderr and one JSON object as the last line of stdout:
wall seconds of the timed part, trials completed, and the CPU seconds the
driver's process tree used meanwhile (threads, pool processes, Ray's own
processes: they are all its descendants). Asserts nothing.

Only the standard library is imported at the top: the process pool of the
'process' workload starts its workers with 'spawn', which re-imports this
file, and a worker should not pay for importing Optuna.
"""
import argparse
import json
import os
import sys
import time


def trial_in_process(x):
    """The trial a pool worker runs: nothing, like sweeplab's instant noop."""
    return x


class TreeCpu:
    """CPU seconds used by this process and all its descendants between start() and stop().

    A child's time moves into its parent's children_user/children_system when the parent
    reaps it, so the sum over the live tree of own + reaped-children time is exact for
    parents that wait for their children (this driver, its process pool). Ray's raylet
    ignores SIGCHLD: its exited workers are reaped by the kernel and their time is
    credited to nobody. So a thread samples the tree every `interval` seconds and keeps,
    for each process whose parent ignores SIGCHLD, the last time seen: such a process's
    final slice (at most `interval`) is missed, nothing is counted twice.
    """

    def __init__(self, interval=0.2):
        import threading

        self.interval = interval
        self.lost = 0.0  # last seen times of auto-reaped processes that have exited
        self.live = {}  # (pid, create_time) -> (own + reaped children seconds, parent ignores SIGCHLD)
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _ignores_sigchld(pid, cache):
        if pid not in cache:
            try:
                with open(f"/proc/{pid}/status") as f:
                    mask = next(int(line.split()[1], 16) for line in f if line.startswith("SigIgn:"))
                cache[pid] = bool(mask & (1 << 16))  # bit 16: SIGCHLD (17)
            except (OSError, StopIteration):
                cache[pid] = False
        return cache[pid]

    def sample(self):
        import psutil

        me = psutil.Process()
        live, cache = {}, {}
        for proc in [me, *me.children(recursive=True)]:
            try:
                with proc.oneshot():
                    t = proc.cpu_times()
                    key = (proc.pid, proc.create_time())
                    autoreaped = proc is not me and self._ignores_sigchld(proc.ppid(), cache)
                live[key] = (t.user + t.system + t.children_user + t.children_system, autoreaped)
            except psutil.NoSuchProcess:
                pass
        with self.lock:
            for key, (seconds, autoreaped) in self.live.items():
                if key not in live and autoreaped:
                    self.lost += seconds
            self.live = live
            return self.lost + sum(seconds for seconds, _ in live.values())

    def _run(self):
        while not self.done.wait(self.interval):
            self.sample()

    def start(self):
        self.begin = self.sample()
        self.thread.start()

    def stop(self):
        self.done.set()
        self.thread.join()
        return self.sample() - self.begin


def log(line):
    print(f"[peers {os.getpid()}] {line}", file=sys.stderr, flush=True)


def run_optuna(args):
    import concurrent.futures
    import multiprocessing
    import logging
    import warnings

    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    # GridSampler warns that parallel workers may pick the same point; the count of trials is what we measure.
    warnings.filterwarnings("ignore")
    logging.getLogger("optuna").setLevel(logging.ERROR)

    pool = None
    if args.workload == "process":
        # Workers recycled after --reuse trials, as sweeplab recycles its warm trial processes.
        pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=args.concurrency,
            mp_context=multiprocessing.get_context("spawn"),
            max_tasks_per_child=args.reuse,
        )

    def objective(trial):
        x = trial.suggest_int("x", 0, args.trials - 1)
        if args.workload == "sleep":
            time.sleep(args.seconds)
        elif pool is not None:
            pool.submit(trial_in_process, x).result()
        return x

    # One pooled connection per thread, so no objective waits for a connection.
    storage = optuna.storages.RDBStorage(args.storage, engine_kwargs={"pool_size": args.concurrency, "max_overflow": 10})
    cpu = TreeCpu()
    cpu.start()
    started = time.perf_counter()
    study = optuna.create_study(
        study_name=args.study,
        storage=storage,
        sampler=optuna.samplers.GridSampler({"x": list(range(args.trials))}, seed=0),
        direction="maximize",
    )
    # timeout: no new trial starts after the cap; the running ones finish.
    study.optimize(objective, n_trials=args.trials, n_jobs=args.concurrency, timeout=args.cap)
    wall = time.perf_counter() - started
    cpu_seconds = cpu.stop()
    if pool is not None:
        pool.shutdown()
    completed = sum(1 for t in study.get_trials(deepcopy=False) if t.state == optuna.trial.TrialState.COMPLETE)
    return {
        "version": f"Optuna {optuna.__version__}",
        "wall_s": wall,
        "completed": completed,
        "cpu_s": {"driver": cpu_seconds},
    }


def run_ray(args):
    import ray
    from ray import tune

    seconds = args.seconds if args.workload == "sleep" else 0.0

    def trainable(config):
        if seconds > 0:
            time.sleep(seconds)
        tune.report({"value": config["x"]})

    ray.init(
        num_cpus=args.concurrency,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        _temp_dir=os.path.join(args.ray_dir, "session"),
        logging_level="WARNING",
        log_to_driver=False,
        # Trials pass nothing through the object store: keep its shared memory small.
        object_store_memory=128 * 1024 * 1024,
    )
    try:
        tuner = tune.Tuner(
            trainable,
            param_space={"x": tune.grid_search(list(range(args.trials)))},
            tune_config=tune.TuneConfig(max_concurrent_trials=args.concurrency, time_budget_s=args.cap),
            run_config=tune.RunConfig(storage_path=os.path.join(args.ray_dir, "results"), name=args.study, verbose=0),
        )
        cpu = TreeCpu()
        cpu.start()
        started = time.perf_counter()
        grid = tuner.fit()
        wall = time.perf_counter() - started
        cpu_seconds = cpu.stop()
        completed = sum(1 for r in grid if r.error is None and r.metrics and "value" in r.metrics)
        return {
            "version": f"Ray {ray.__version__}",
            "wall_s": wall,
            "completed": completed,
            "cpu_s": {"ray": cpu_seconds},
        }
    finally:
        ray.shutdown()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("system", choices=["optuna", "ray"])
    parser.add_argument("--workload", choices=["sleep", "instant", "process"], required=True)
    parser.add_argument("--trials", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=0.0)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--cap", type=float, default=600.0)
    parser.add_argument("--reuse", type=int, default=50)
    parser.add_argument("--storage")
    parser.add_argument("--study", default="peers")
    parser.add_argument("--ray-dir")
    args = parser.parse_args()
    log(f"{args.system} {args.workload}: {args.trials} trials, {args.concurrency} in flight")
    result = run_optuna(args) if args.system == "optuna" else run_ray(args)
    result["python"] = sys.version.split()[0]
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
