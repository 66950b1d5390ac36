#!/usr/bin/env python3
"""Regenerates the study's results from its run directories (tools/study/run.sh): the tables and PNG plots that go
into docs/study.md between the markers <!-- study-results:begin --> and <!-- study-results:end -->.

Reads, for every ROOT/ROW-sSEED: eval/tiny.json and eval/bsds.json (gq eval reports), sweep/*-kK.json (the 12-bit GQ
model with --codebook-size K), metrics.csv and config.yaml (training curves, training time), checkpoints/last (steps).
Needs python3 with PIL (Pillow) only.

Run directories hold models and checkpoints (tens of MB each) and live outside the repository, so a lost machine loses
them. With --archive, the few kilobytes the report reads of each run are copied into ARCHIVE/ROW-sSEED (the repository's
docs/study/runs), and the archive's records stand in for runs whose directories are gone: the results can always be
regenerated from the repository. A record may also hold summary.json, the training figures of a run whose metrics.csv
was not kept, with "source" saying where they come from.

usage: report.py --root runs/study [--root DIR ...] [--archive docs/study/runs] [--doc docs/study.md] [--figures docs/study]
"""
import argparse
import csv
import json
import math
import os
import re
import shutil
import sys

from PIL import Image, ImageDraw, ImageFont

BEGIN, END = "<!-- study-results:begin -->", "<!-- study-results:end -->"
ROWS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rows")
FAMILIES = ["gq", "gq2", "vq", "fsq", "lfq", "bsq", "gaussian"]
RUN_NAME = re.compile(r"^(?P<row>.+)-s(?P<seed>\d+)$")
SWEEP_NAME = re.compile(r"^(?P<data>tiny|bsds)-k(?P<size>\d+)\.json$")
DATA_SETS = {"tiny": "Tiny-ImageNet held-out (val_9000…val_9999)", "bsds": "BSDS500 train, 64×64 (shorter side to 64, centre crop)"}
DATA_SHORT = {"tiny": "Tiny-ImageNet", "bsds": "BSDS500"}
# The metrics.csv columns the report reads; an archived record keeps only these (a twentieth of the file).
ARCHIVED_COLUMNS = ("step", "phase", "images_per_s", "rec", "bits_mean")


def read_json(path):
    return json.load(open(path)) if os.path.exists(path) else None


def describe(row):
    """The row's description: the first comment line of its .args file."""
    path = os.path.join(ROWS, row + ".args")
    if not os.path.exists(path):
        return row
    first = open(path).readline().strip()
    return first.lstrip("# ") if first.startswith("#") else row


class Run:
    def __init__(self, path):
        match = RUN_NAME.match(os.path.basename(path))
        self.path = path
        self.row, self.seed = match["row"], int(match["seed"])
        self.family = self.row.split("_")[0]
        self.evals = {data: read_json(os.path.join(self.path, "eval", data + ".json")) for data in DATA_SETS}
        self.sweep = {}
        sweep_dir = os.path.join(self.path, "sweep")
        for file in sorted(os.listdir(sweep_dir)) if os.path.isdir(sweep_dir) else []:
            found = SWEEP_NAME.match(file)
            if found:
                self.sweep.setdefault(found["data"], {})[int(found["size"])] = read_json(os.path.join(sweep_dir, file))
        self.metrics = self._metrics()
        self.summary = read_json(os.path.join(self.path, "summary.json")) or {}
        last = os.path.join(self.path, "checkpoints", "last")
        self.steps = int(open(last).read().strip()) if os.path.exists(last) else None

    def _metrics(self):
        path = os.path.join(self.path, "metrics.csv")
        if not os.path.exists(path):
            return []
        with open(path, newline="") as file:
            return [row for row in csv.DictReader(file) if row.get("phase", "ae") == "ae"]

    def batch_size(self):
        text = open(os.path.join(self.path, "config.yaml")).read() if os.path.exists(os.path.join(self.path, "config.yaml")) else ""
        found = re.search(r"^\s*batch_size:\s*(\d+)", text, re.MULTILINE)
        return int(found[1]) if found else 16

    def training_seconds(self):
        """Compute time from metrics.csv: each logged interval's images over its images per second."""
        if not self.metrics and "training_hours" in self.summary:
            return self.summary["training_hours"] * 3600
        seconds, previous, batch = 0.0, 0, self.batch_size()
        for row in self.metrics:
            step, rate = int(row["step"]), float(row["images_per_s"])
            if rate > 0:
                seconds += (step - previous) * batch / rate
            previous = step
        return seconds

    def levelling(self):
        """Mean reconstruction error (rec) over the last tenth of the logged steps against the tenth before, in %."""
        values = [float(row["rec"]) for row in self.metrics]
        tenth = len(values) // 10
        if tenth < 1:
            return self.summary.get("rec_change_percent")
        last, before = values[-tenth:], values[-2 * tenth:-tenth]
        return 100 * (sum(last) / len(last) - sum(before) / len(before)) / (sum(before) / len(before))

    def final_kl_bits(self):
        """The KL in bits per codebook group (per position for the Gaussian VAE) at the last logged step; None without a KL."""
        if not self.family.startswith(("gq", "gaussian")):
            return None
        return float(self.metrics[-1]["bits_mean"]) if self.metrics else self.summary.get("kl_end_bits")

    def nominal_bits(self):
        """The bits per position the row's description names (None for the Gaussian VAE), known before any evaluation."""
        found = re.search(r"(\d+) bits per position", describe(self.row))
        return int(found[1]) if found else None

    def bits_per_position(self):
        report = self.evals["tiny"] or self.evals["bsds"]
        if not report or report.get("bits_per_token") is None:
            return None
        return report["bits_per_token"] * report["n_codebooks"]


def mode_value(report, mode, *keys):
    value = (report or {}).get("modes", {}).get(mode)
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def fmt(value, digits=2, scale=1.0, unit=""):
    return "–" if value is None else f"{value * scale:.{digits}f}{unit}"


def not_computed(report, metric):
    reasons = {entry["metric"]: entry["reason"] for entry in (report or {}).get("not_computed", [])}
    return "not computed" if metric in reasons else None


def quality_cells(report):
    return [
        fmt(mode_value(report, "vq", "psnr", "mean")), fmt(mode_value(report, "mean", "psnr", "mean")),
        fmt(mode_value(report, "vq", "ssim", "mean"), 4), fmt(mode_value(report, "mean", "ssim", "mean"), 4),
        fmt(mode_value(report, "vq", "codebook_usage"), 1, 100, " %"), fmt(mode_value(report, "vq", "token_entropy_bits")),
        fmt(mode_value(report, "vq", "perplexity"), 0),
        fmt(mode_value(report, "vq", "lpips", "mean"), 4) if mode_value(report, "vq", "lpips") else not_computed(report, "lpips") or "–",
        fmt(mode_value(report, "vq", "rfid")) if mode_value(report, "vq", "rfid") is not None else not_computed(report, "rfid") or "–",
    ]


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def quality_table(runs, data):
    header = ["row", "bits / position", "seed", "steps", "PSNR vq (dB)", "PSNR mean (dB)", "SSIM vq", "SSIM mean",
              "usage", "entropy (bits)", "perplexity", "LPIPS", "rFID"]
    extra = ["KL at the end (bits per group; per position without tokens)", "training time (h)", "rec change, last 10 % of steps"] if data == "tiny" else []
    rows = []
    for run in runs:
        report = run.evals[data]
        if report is None:
            continue
        cells = [f"`{run.row}`", fmt(run.bits_per_position(), 0), run.seed, run.steps if run.steps is not None else "–"]
        cells += quality_cells(report)
        if extra:
            cells += [fmt(run.final_kl_bits()), fmt(run.training_seconds() / 3600, 2), fmt(run.levelling(), 1, unit=" %")]
        rows.append(cells)
    return table(header + extra, rows) if rows else "(no evaluation yet)"


SEED_METRICS = (("psnr", "PSNR", " (dB)", 2), ("ssim", "SSIM", "", 4))


def quality_of(run, data, metric):
    """The metric's mean through the tokens, or through the posterior mean for the row without tokens (the Gaussian VAE)."""
    value = mode_value(run.evals[data], "vq", metric, "mean")
    return value if value is not None else mode_value(run.evals[data], "mean", metric, "mean")


def seed_noise(runs):
    """Each row trained with several seeds: PSNR and SSIM per seed and their spread on each image set; then GQ's lead over
    each such baseline per seed next to the larger seed spread of the two rows, so that the gap reads against the noise."""
    by_row = {}
    for run in runs:
        by_row.setdefault(run.row, {})[run.seed] = run

    def per_seed(row, data, metric):
        values = {seed: quality_of(run, data, metric) for seed, run in sorted(by_row[row].items())}
        return {seed: value for seed, value in values.items() if value is not None}

    def spread(values):
        return max(values.values()) - min(values.values())

    def listed(values, digits, sign=""):
        return " / ".join(f"{value:{sign}.{digits}f}" for value in values.values())

    repeated = [row for row in by_row if any(len(per_seed(row, data, "psnr")) > 1 for data in DATA_SETS)]
    if not repeated:
        return "(no row has two evaluated seeds yet)"
    header = ["row", "images", "seeds"] + [f"{name} per seed{unit}" if part == 0 else f"{name} spread{unit}"
                                           for _, name, unit, _ in SEED_METRICS for part in (0, 1)]
    rows = []
    for row in repeated:
        for data in DATA_SETS:
            values = {metric: per_seed(row, data, metric) for metric, *_ in SEED_METRICS}
            if len(values["psnr"]) > 1:
                rows.append([f"`{row}`", DATA_SHORT[data], ", ".join(map(str, values["psnr"]))] +
                            [cell for metric, _, _, digits in SEED_METRICS
                             for cell in (listed(values[metric], digits), f"{spread(values[metric]):.{digits}f}")])
    parts = [table(header, rows), ""]

    header = ["lead", "images", "seeds"] + [cell for _, name, unit, _ in SEED_METRICS for cell in
                                            (f"{name} lead per seed{unit}", f"mean {name} lead", f"larger {name} seed spread of the two rows", "mean lead / spread")]
    leads, sentences = [], []
    for gq in (row for row in repeated if by_row[row][min(by_row[row])].family.startswith("gq")):
        for baseline in (row for row in repeated if by_row[row][min(by_row[row])].family in ("vq", "fsq", "lfq", "bsq")):
            behind, compared = [], 0
            for data in DATA_SETS:
                cells = []
                for metric, name, _, digits in SEED_METRICS:
                    ours, theirs = per_seed(gq, data, metric), per_seed(baseline, data, metric)
                    lead = {seed: ours[seed] - theirs[seed] for seed in ours if seed in theirs}
                    if len(lead) < 2:
                        break
                    mean, noise = sum(lead.values()) / len(lead), max(spread(ours), spread(theirs))
                    behind += [f"{name} at seed {seed} on {DATA_SHORT[data]}" for seed, value in lead.items() if value <= 0]
                    cells += [listed(lead, digits, "+"), f"{mean:+.{digits}f}", f"{noise:.{digits}f}", f"{mean / noise:.1f}" if noise > 0 else "–"]
                else:
                    compared += 1
                    leads.append([f"`{gq}` − `{baseline}`", DATA_SHORT[data], ", ".join(map(str, lead))] + cells)
            if compared:
                sentences.append(f"`{gq}` is ahead of `{baseline}` in PSNR and SSIM at every seed both have, on every image set compared."
                                 if not behind else f"`{gq}` is not ahead of `{baseline}` in " + ", ".join(behind) + ".")
    if leads:
        parts += [table(header, leads), ""] + sentences
    return "\n".join(parts).rstrip()


def sweep_table(run):
    sizes = sorted(set(run.sweep.get("tiny", {})) | set(run.sweep.get("bsds", {})))
    rows = []
    for size in sizes:
        tiny, bsds = run.sweep.get("tiny", {}).get(size), run.sweep.get("bsds", {}).get(size)
        rows.append([size, f"{math.log2(size):.0f}", fmt(mode_value(tiny, "vq", "psnr", "mean")), fmt(mode_value(tiny, "vq", "ssim", "mean"), 4),
                     fmt(mode_value(tiny, "vq", "codebook_usage"), 1, 100, " %"), fmt(mode_value(tiny, "vq", "token_entropy_bits")),
                     fmt(mode_value(bsds, "vq", "psnr", "mean")), fmt(mode_value(bsds, "vq", "codebook_usage"), 1, 100, " %")])
    header = ["K'", "bits / token", "PSNR (dB)", "SSIM", "usage", "entropy (bits)", "BSDS PSNR (dB)", "BSDS usage"]
    return table(header, rows) if rows else "(no sweep yet)"


def ranking(runs, data, bits):
    """The first-seed rows at `bits` per position ranked by PSNR through their tokens, as one factual sentence."""
    seed = min(run.seed for run in runs)
    scored = [(mode_value(run.evals[data], "vq", "psnr", "mean"), run.row) for run in runs
              if run.seed == seed and run.bits_per_position() == bits and mode_value(run.evals[data], "vq", "psnr", "mean") is not None]
    scored.sort(reverse=True)
    if not scored:
        return None
    return f"{DATA_SETS[data]}, {bits:g} bits per position, seed {seed}, by PSNR through the tokens: " + \
        " > ".join(f"`{row}` {psnr:.2f} dB" for psnr, row in scored) + "."


class Chart:
    """A line chart drawn with PIL: numeric axes with round ticks, polylines or markers per series, and a legend."""
    COLORS = [(31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14), (148, 103, 189), (140, 86, 75),
              (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207)]

    def __init__(self, title, x_label, y_label, size=(1100, 620)):
        self.title, self.x_label, self.y_label, self.size = title, x_label, y_label, size
        self.series = []
        self.font = self._font(15)
        self.small = self._font(13)

    @staticmethod
    def _font(size):
        for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans.ttf"):
            try:
                return ImageFont.truetype(path, size)
            except OSError:
                continue
        return ImageFont.load_default()

    def add(self, label, points, line=True, dashed=False, marker=True):
        points = [(x, y) for x, y in points if x is not None and y is not None and math.isfinite(y)]
        if points:
            self.series.append((label, sorted(points) if line else points, line, dashed, marker))

    @staticmethod
    def _ticks(low, high, count=6):
        if high <= low:
            low, high = low - 1, high + 1
        step = 10 ** math.floor(math.log10((high - low) / count))
        for factor in (1, 2, 5, 10):
            if (high - low) / (step * factor) <= count:
                step *= factor
                break
        first = math.floor(low / step) * step
        ticks = [first + i * step for i in range(int(math.ceil((high - first) / step)) + 1)]
        return ticks[0], ticks[-1], ticks

    def save(self, path):
        width, height = self.size
        image = Image.new("RGB", self.size, "white")
        draw = ImageDraw.Draw(image)
        left, right, top, bottom = 80, width - 300, 60, height - 70
        xs = [x for _, points, *_ in self.series for x, _ in points]
        ys = [y for _, points, *_ in self.series for _, y in points]
        x_low, x_high, x_ticks = self._ticks(min(xs), max(xs))
        y_low, y_high, y_ticks = self._ticks(min(ys), max(ys))

        def at(x, y):
            return (left + (x - x_low) / (x_high - x_low) * (right - left), bottom - (y - y_low) / (y_high - y_low) * (bottom - top))

        draw.text((left, 8), self.title, fill="black", font=self.font)
        for tick in x_ticks:
            px, _ = at(tick, y_low)
            draw.line([(px, top), (px, bottom)], fill=(230, 230, 230))
            draw.text((px - 12, bottom + 8), f"{tick:g}", fill="black", font=self.small)
        for tick in y_ticks:
            _, py = at(x_low, tick)
            draw.line([(left, py), (right, py)], fill=(230, 230, 230))
            draw.text((left - 60, py - 8), f"{tick:g}", fill="black", font=self.small)
        draw.rectangle([left, top, right, bottom], outline="black")
        draw.text(((left + right) / 2 - 80, bottom + 35), self.x_label, fill="black", font=self.font)
        draw.text((10, top - 24), self.y_label, fill="black", font=self.font)

        for index, (label, points, line, dashed, marker) in enumerate(self.series):
            color = self.COLORS[index % len(self.COLORS)]
            pixels = [at(x, y) for x, y in points]
            if line and len(pixels) > 1:
                if dashed:
                    for start, end in zip(pixels, pixels[1:]):
                        self._dashed(draw, start, end, color)
                else:
                    draw.line(pixels, fill=color, width=2)
            if marker:
                for px, py in pixels:
                    draw.ellipse([px - 4, py - 4, px + 4, py + 4], fill=color)
            legend_y = top + 8 + 22 * index
            draw.line([(right + 15, legend_y + 8), (right + 40, legend_y + 8)], fill=color, width=3)
            draw.text((right + 48, legend_y), label, fill="black", font=self.small)
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        image.save(path)

    @staticmethod
    def _dashed(draw, start, end, color, dash=8):
        length = math.dist(start, end)
        for offset in range(0, int(length), 2 * dash):
            a, b = offset / length, min(offset + dash, length) / length
            draw.line([(start[0] + (end[0] - start[0]) * a, start[1] + (end[1] - start[1]) * a),
                       (start[0] + (end[0] - start[0]) * b, start[1] + (end[1] - start[1]) * b)], fill=color, width=2)


def rate_distortion_chart(runs, data, path):
    seed = min(run.seed for run in runs)
    chart = Chart(f"Rate and distortion: {DATA_SETS[data]}", "bits per latent position (4×4 pixels)", "PSNR (dB)")
    for run in runs:
        if run.row == "gq_k4096" and run.seed == seed and run.sweep.get(data):
            chart.add("gq_k4096, K' at inference",
                      [(math.log2(size), mode_value(report, "vq", "psnr", "mean")) for size, report in run.sweep[data].items()])
    # One series per quantizer family, a point per bitrate it was trained at, so that colours stay distinct.
    for family in FAMILIES:
        trained = [(run.bits_per_position(), mode_value(run.evals[data], "vq", "psnr", "mean")) for run in runs
                   if run.seed == seed and run.family == family and run.bits_per_position() is not None]
        chart.add(f"{family} (trained per bitrate)", trained, line=False)
    bits = [x for _, points, *_ in chart.series for x, _ in points] or [8, 16]
    for run in runs:
        mean = mode_value(run.evals[data], "mean", "psnr", "mean")
        if run.seed == seed and mean is not None and run.row in ("gaussian_vae", "gq_k4096"):
            chart.add(f"{run.row} posterior mean", [(min(bits), mean), (max(bits), mean)], dashed=True, marker=False)
    if chart.series:
        chart.save(path)
        return True
    return False


def training_chart(runs, path, column, title, y_label, families=None):
    chart = Chart(title, "step", y_label)
    for run in runs:
        if families and not run.family.startswith(families):
            continue
        values = [(int(row["step"]), float(row[column])) for row in run.metrics if row.get(column) not in (None, "")]
        window = max(1, len(values) // 50)  # a moving average over 2 % of the run keeps the trend, not the batch noise
        smoothed = [(values[i][0], sum(v for _, v in values[max(0, i - window + 1):i + 1]) / len(values[max(0, i - window + 1):i + 1]))
                    for i in range(len(values))]
        chart.add(f"{run.row} seed {run.seed}", smoothed, marker=False)
    if chart.series:
        chart.save(path)
        return True
    return False


def results(runs, doc_dir, figures):
    def image(name, alt):
        return f"![{alt}]({os.path.relpath(os.path.join(figures, name), doc_dir)})"

    parts = ["_Generated by `tools/study/report.py` from the run directories and their records in `docs/study/runs`; do not edit by hand._", ""]
    sources = {}
    for run in runs:
        if run.summary.get("source"):
            sources.setdefault(run.summary["source"], []).append(f"`{run.row}` seed {run.seed}")
    parts += [f"Recorded without training curves ({', '.join(names)}): {source}" for source, names in sources.items()]
    parts += [""] if sources else []
    parts += ["| row | what |", "|---|---|"] + [f"| `{row}` | {describe(row)} |" for row in dict.fromkeys(run.row for run in runs)] + [""]
    for data in DATA_SETS:
        parts += [f"### {DATA_SETS[data]}", "", quality_table(runs, data), ""]
        for bits in sorted({run.bits_per_position() for run in runs if run.bits_per_position() is not None}, reverse=True):
            sentence = ranking(runs, data, bits)
            if sentence:
                parts += [sentence, ""]
    parts += ["### Seed noise", "", seed_noise(runs), ""]
    gq = [run for run in runs if run.row == "gq_k4096" and run.sweep]
    parts += ["### Rate control at inference: the 12-bit GQ model with K' entries", ""]
    parts += [sweep_table(gq[0]) if gq else "(no sweep yet)", ""]
    for data in DATA_SETS:
        if rate_distortion_chart(runs, data, os.path.join(figures, f"rate-distortion-{data}.png")):
            parts += [image(f"rate-distortion-{data}.png", f"rate-distortion, {data}"), ""]
    parts += ["### Training curves", ""]
    # One chart per nominal bitrate (the Gaussian VAE with the first), at most ten curves each so that colours stay distinct.
    rates = sorted({run.nominal_bits() for run in runs if run.nominal_bits() is not None}, reverse=True) or [None]
    for rate in rates:
        group = [run for run in runs if run.nominal_bits() == rate or (run.nominal_bits() is None and rate == rates[0])]
        name, what = f"training-rec-{rate}bit.png", f"{rate} bits per position" if rate else "all rows"
        if training_chart(group, os.path.join(figures, name), "rec", f"Training, {what}: mean |x − x̂| per batch (moving average)", "|x − x̂|"):
            parts += [image(name, f"training reconstruction error, {what}"), ""]
    if training_chart(runs, os.path.join(figures, "training-kl-bits.png"), "bits_mean", "Training: KL per codebook group (bits, moving average)",
                      "bits", families=("gq", "gaussian")):
        parts += [image("training-kl-bits.png", "training KL bits"), ""]
    return "\n".join(parts).rstrip() + "\n"


def archive(run, archive_root):
    """Copies what the report reads of `run` into ARCHIVE/ROW-sSEED, replacing that run's earlier record."""
    target = os.path.join(archive_root, os.path.basename(run.path))
    staging = target + ".partial"
    shutil.rmtree(staging, ignore_errors=True)
    for part in ("eval", "sweep"):
        folder = os.path.join(run.path, part)
        for file in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            if file.endswith(".json"):
                os.makedirs(os.path.join(staging, part), exist_ok=True)
                shutil.copyfile(os.path.join(folder, file), os.path.join(staging, part, file))
    os.makedirs(os.path.join(staging, "checkpoints"), exist_ok=True)
    if run.steps is not None:
        open(os.path.join(staging, "checkpoints", "last"), "w").write(f"{run.steps}\n")
    for file in ("config.yaml", "summary.json"):
        if os.path.exists(os.path.join(run.path, file)):
            shutil.copyfile(os.path.join(run.path, file), os.path.join(staging, file))
    with open(os.path.join(staging, "metrics.csv"), "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(ARCHIVED_COLUMNS)
        writer.writerows([row.get(column, "") for column in ARCHIVED_COLUMNS] for row in run.metrics)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(staging, target)


def find_runs(roots, archive_root):
    """Every ROW-sSEED of the roots (the first root holding a name wins), archived when asked; then the archive's other records."""
    found = {}
    for root in roots:
        for name in sorted(os.listdir(root)) if os.path.isdir(root) else []:
            if RUN_NAME.match(name) and os.path.isdir(os.path.join(root, name)):
                found.setdefault(name, os.path.join(root, name))
    runs = {name: Run(path) for name, path in found.items()}
    if archive_root:
        os.makedirs(archive_root, exist_ok=True)
        for run in runs.values():
            if os.path.abspath(os.path.dirname(run.path)) != os.path.abspath(archive_root):
                archive(run, archive_root)
        for name in sorted(os.listdir(archive_root)):
            if name not in runs and RUN_NAME.match(name) and os.path.isdir(os.path.join(archive_root, name)):
                runs[name] = Run(os.path.join(archive_root, name))
    return list(runs.values())


def write_doc(path, block):
    text = open(path).read() if os.path.exists(path) else f"# Study results\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        sys.exit(f"report.py: {path} has no {BEGIN} … {END} block to fill")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temporary = path + ".partial"
    with open(temporary, "w") as file:
        file.write(f"{head}{BEGIN}\n{block}{END}{tail}")
    os.replace(temporary, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", action="append", help="run directories (repeatable; default runs/study)")
    parser.add_argument("--archive", help="the committed records: runs of the roots are copied in, and stand in for lost ones")
    parser.add_argument("--doc", default="docs/study.md")
    parser.add_argument("--figures", default="docs/study")
    args = parser.parse_args()
    roots = args.root or ["runs/study"]
    # 12-bit rows first, then 8-bit ones, then the Gaussian VAE (no tokens); GQ first, then the baselines.
    runs = sorted(find_runs(roots, args.archive),
                  key=lambda run: (-(run.bits_per_position() if run.bits_per_position() is not None else -1),
                                   FAMILIES.index(run.family) if run.family in FAMILIES else len(FAMILIES), run.row, run.seed))
    if not runs:
        sys.exit(f"report.py: no run directories (ROW-sSEED) in {', '.join(roots + ([args.archive] if args.archive else []))}")
    write_doc(args.doc, results(runs, os.path.dirname(os.path.abspath(args.doc)), os.path.abspath(args.figures)))
    print(f"report.py: {len(runs)} runs → {args.doc}, plots in {args.figures}")


if __name__ == "__main__":
    main()
