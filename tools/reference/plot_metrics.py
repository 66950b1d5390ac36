"""Plots training curves from one or more metrics.csv files (gq train's, or train_reference.py's) into one PNG.

Run: /usr/bin/python3 tools/reference/plot_metrics.py --out docs/cifar32-training.png \
         GaussQuant=/work/runs/cifar32/metrics.csv PyTorch=/work/runs/reference-cifar32/metrics.csv
"""
import argparse
import csv
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--out", required=True)
parser.add_argument("--target-bits", type=float, default=None, help="log2 K, drawn as a reference line")
parser.add_argument("runs", nargs="+", help="label=path/to/metrics.csv")
args = parser.parse_args()

panels = [("nll", "NLL (sum over pixels / image)", True), ("rec", "mean |x − x̂|", True),
          ("kl_loss", "KL loss (λ-weighted bits)", True), ("bits_mean", "KL bits per group: mean, min–max", False),
          ("lambda", "λ (KL weight)", True), ("logvar", "learned output log-variance", False)]
figure, axes = plt.subplots(2, 3, figsize=(15, 8))
for label_and_path in args.runs:
    label, path = label_and_path.split("=", 1)
    rows = list(csv.DictReader(open(path)))
    steps = [int(row["step"]) for row in rows]
    for axis, (column, title, logarithmic) in zip(axes.flat, panels):
        values = [float(row[column]) for row in rows]
        line, = axis.plot(steps, values, label=label, linewidth=1)
        if column == "bits_mean":
            axis.fill_between(steps, [float(r["bits_min"]) for r in rows], [float(r["bits_max"]) for r in rows],
                              color=line.get_color(), alpha=0.15)
        axis.set_title(title)
        if logarithmic and all(v > 0 for v in values):
            axis.set_yscale("log")
if args.target_bits is not None:
    axes.flat[3].axhline(args.target_bits, color="black", linestyle="--", linewidth=0.8, label=f"log2 K = {args.target_bits:g}")
for axis in axes.flat:
    axis.set_xlabel("step")
    axis.grid(alpha=0.3)
    axis.legend()
figure.tight_layout()
figure.savefig(args.out, dpi=90)
print("wrote", args.out)
