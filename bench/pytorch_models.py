"""PyTorch CPU reference for bench/backends.ts; run by that bench from its own venv.

Two commands, each printing one JSON object on stdout:

  python pytorch_models.py peak [--size 2048] [--repeats 5]
      float32 matmul (numpy sgemm) GFLOP/s, threads = cores, and the BLAS
      kernel threadpoolctl reports. Run it with OPENBLAS_CORETYPE and
      OPENBLAS_L2_SIZE unset (the bench does so for this command alone).

  python pytorch_models.py train --data DIR --model mlp|cnn|lstm --examples N
                                 [--epochs 3] [--warmup 1]
      training and inference examples/s of the same three models sweeplab
      trains (same shapes and batch sizes, Adam 1e-3, softmax cross-entropy),
      on the MNIST digits the bench wrote to DIR (x.f32: N×784 float32,
      y.u8: N labels). Median of the timed epochs after the warm-up ones.

Prints only; asserts nothing about speed.
"""

import argparse
import json
import os
import statistics
import sys
import time


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def peak(size: int, repeats: int) -> dict:
    import numpy as np
    from threadpoolctl import threadpool_info, threadpool_limits

    threads = cores()
    with threadpool_limits(limits=threads, user_api="blas"):
        rng = np.random.default_rng(0)
        a = rng.standard_normal((size, size), dtype=np.float32)
        b = rng.standard_normal((size, size), dtype=np.float32)
        c = np.empty((size, size), dtype=np.float32)
        np.matmul(a, b, out=c)  # warm-up (thread pool start, page faults)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            np.matmul(a, b, out=c)
            times.append(time.perf_counter() - start)
        blas = [
            {k: info.get(k) for k in ("internal_api", "version", "architecture", "num_threads", "threading_layer")}
            for info in threadpool_info()
            if info.get("user_api") == "blas"
        ]
    flops = 2.0 * size**3
    return {
        "numpy": np.__version__,
        "size": size,
        "threads": threads,
        "gflops_best": flops / min(times) / 1e9,
        "gflops_median": flops / statistics.median(times) / 1e9,
        "blas": blas,
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
    }


def build(name: str):
    import torch
    from torch import nn

    if name == "mlp":  # buildMlp width 256 depth 2: 784-256-256-10, ReLU
        return nn.Sequential(
            nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)
        ), 128
    if name == "cnn":  # buildCnn width 8: conv3x3(8)+pool2 → conv3x3(16)+pool2 → dense, 'same' padding
        class Cnn(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Sequential(
                    nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(7 * 7 * 16, 10),
                )

            def forward(self, x):
                return self.body(x.view(-1, 1, 28, 28))

        return Cnn(), 64
    if name == "lstm":  # buildLstm width 128: 28 rows of 28 pixels, last hidden state → dense
        class Lstm(nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm = nn.LSTM(28, 128, batch_first=True)
                self.head = nn.Linear(128, 10)

            def forward(self, x):
                _, (h, _) = self.lstm(x.view(-1, 28, 28))
                return self.head(h[-1])

        return Lstm(), 128
    raise SystemExit(f"unknown model {name!r} (mlp, cnn, lstm)")


def train(data: str, name: str, examples: int, epochs: int, warmup: int) -> dict:
    import numpy as np
    import torch
    from torch import nn

    threads = cores()
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x_all = np.fromfile(os.path.join(data, "x.f32"), dtype=np.float32).reshape(-1, 784)
    y_all = np.fromfile(os.path.join(data, "y.u8"), dtype=np.uint8).astype(np.int64)
    n = min(examples, x_all.shape[0])
    x = torch.from_numpy(np.ascontiguousarray(x_all[:n]))
    y = torch.from_numpy(y_all[:n])
    model, batch = build(name)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(1)

    train_rates, accuracy = [], None
    for epoch in range(warmup + epochs):
        model.train()
        order = torch.randperm(n, generator=generator)
        loss_sum = torch.zeros(())
        correct = torch.zeros((), dtype=torch.int64)
        start = time.perf_counter()
        for s in range(0, n, batch):
            idx = order[s : s + batch]
            xb, yb = x[idx], y[idx]
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            optimizer.step()
            with torch.no_grad():  # summed on the device, read once per epoch (as sweeplab does)
                loss_sum += loss.detach() * idx.numel()
                correct += (logits.argmax(1) == yb).sum()
        accuracy = correct.item() / n
        _ = loss_sum.item()
        elapsed = time.perf_counter() - start
        if epoch >= warmup:
            train_rates.append(n / elapsed)

    infer_rates = []
    model.eval()
    with torch.no_grad():
        for epoch in range(warmup + epochs):
            start = time.perf_counter()
            total = torch.zeros(())
            for s in range(0, n, 1000):  # sweeplab's evaluation batch size
                total += model(x[s : s + 1000]).sum()
            _ = total.item()
            elapsed = time.perf_counter() - start
            if epoch >= warmup:
                infer_rates.append(n / elapsed)

    return {
        "torch": torch.__version__,
        "model": name,
        "threads": torch.get_num_threads(),
        "batch": batch,
        "examples": n,
        "train": statistics.median(train_rates),
        "train_all": train_rates,
        "infer": statistics.median(infer_rates),
        "infer_all": infer_rates,
        "train_accuracy_last_epoch": accuracy,
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("peak")
    p.add_argument("--size", type=int, default=2048)
    p.add_argument("--repeats", type=int, default=5)
    t = sub.add_parser("train")
    t.add_argument("--data", required=True)
    t.add_argument("--model", required=True, choices=["mlp", "cnn", "lstm"])
    t.add_argument("--examples", type=int, required=True)
    t.add_argument("--epochs", type=int, default=3)
    t.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args(argv)
    if args.command == "peak":
        result = peak(args.size, args.repeats)
    else:
        result = train(args.data, args.model, args.examples, args.epochs, args.warmup)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
