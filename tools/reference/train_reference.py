"""Trains the same GQ model with a PyTorch implementation of the authors' procedure (written by us from
GQ_SPEC.md §2.3, §4.2, §4.3 with the modules of tools/fixtures/reference_unet.py), for a side-by-side comparison
with `gq train`: same config, data list, steps, batch, learning rate and seed policy (a fresh shuffle per epoch).
Supports the configs GaussQuant ships for the CPU: L1 + learned log-variance + weighted GQ KL, no LPIPS, no GAN.

The weights are saved as a bare state dict with the authors' key names, so `gq eval --ckpt` measures them with
exactly the code that measures GaussQuant's own models.

Run: OMP_NUM_THREADS=2 /usr/bin/python3 tools/reference/train_reference.py --config configs/cifar32_k4096.yaml \
         --data configs/splits/cifar10_train.txt --steps 2000 --out runs/reference-cifar
"""
import argparse
import csv
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import yaml
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from reference_unet import Decoder, Encoder  # noqa: E402
from reference_gq import BITS_PER_NAT  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--config", required=True)
parser.add_argument("--data", required=True, help="a folder of images or a .txt list (paths relative to the list)")
parser.add_argument("--steps", type=int, required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--seed", type=int, default=23)
parser.add_argument("--log-every", type=int, default=10)
args = parser.parse_args()

config = yaml.safe_load(Path(args.config).read_text())
model_params = config["model"]["params"]
unet = dict(model_params["encoder_config"]["params"])
regularizer = model_params["regularizer_config"]["params"]
loss_params = model_params["loss_config"]["params"]
assert model_params["regularizer_config"]["target"].endswith("GaussianQuantRegularizer"), "strided GQ only"
assert float(loss_params.get("perceptual_weight", 1.0)) == 0.0, "no LPIPS here"
assert float(loss_params.get("disc_weight", 1.0)) == 0.0 or float(loss_params.get("disc_factor", 1.0)) == 0.0, "no GAN here"
learning_rate = float(config["model"]["base_learning_rate"])
batch_size = int(config["data"]["params"]["batch_size"])
image_size = int(config["data"]["params"]["train"]["params"]["image_size"])
kl_weight = float(loss_params["regularization_weights"]["kl_loss"])

data = Path(args.data)
if data.suffix == ".txt":
    files = [str((data.parent / line.strip()).resolve()) for line in data.read_text().splitlines() if line.strip()]
else:
    files = sorted(str(p) for p in data.rglob("*") if p.suffix.lower() in {".png", ".jpg", ".jpeg", ".bmp", ".webp"})


def load(path):
    """The authors' transform: shorter side to image_size (bilinear), centre crop, [-1, 1]."""
    image = Image.open(path).convert("RGB")
    w, h = image.size
    scale = image_size / min(w, h)
    if (w, h) != (image_size, image_size):
        image = image.resize((max(image_size, int(w * scale)), max(image_size, int(h * scale))), Image.BILINEAR)
        w, h = image.size
        left, top = int(round((w - image_size) / 2)), int(round((h - image_size) / 2))
        image = image.crop((left, top, left + image_size, top + image_size))
    x = torch.from_numpy(np.asarray(image, dtype=np.uint8).copy()).permute(2, 0, 1).float().div(255)
    return (x - 0.5) / 0.5


def batches(seed):
    epoch = 0
    while True:
        order = np.random.RandomState(seed + epoch).permutation(len(files))
        for start in range(0, len(order), batch_size):
            yield epoch, torch.stack([load(files[i]) for i in order[start:start + batch_size]])
        epoch += 1


class GaussianQuantTraining(torch.nn.Module):
    """Training mode of the authors' GaussianQuantRegularizer (spec §2.3)."""

    def __init__(self, group, codebook_size, tolerance=0.5, factor=1.01, logvar_range=(-30.0, 20.0)):
        super().__init__()
        self.group, self.target, self.tolerance, self.factor, self.range = group, math.log2(codebook_size), tolerance, factor, logvar_range
        self.lam = self.lam_min = self.lam_max = 1.0

    def forward(self, moments):
        b, c2, h, w = moments.shape
        tokens = moments.permute(0, 2, 3, 1).reshape(b, h * w, c2)
        mean, logvar = tokens.chunk(2, dim=-1)
        logvar = logvar.clamp(*self.range)
        std, var = torch.exp(0.5 * logvar), torch.exp(logvar)
        sample = mean + torch.randn_like(mean) * std
        kl = BITS_PER_NAT * 0.5 * (mean ** 2 + var - 1 - logvar)
        n = kl.shape[-1] // self.group
        kl = kl.reshape(b, h * w, self.group, n).sum(2)
        weights = torch.where(kl > self.target + self.tolerance, torch.full_like(kl, self.lam_max),
                              torch.where(kl < self.target - self.tolerance, torch.full_like(kl, self.lam_min), torch.ones_like(kl)))
        loss = self.lam * (weights * kl).sum() / b
        stats = (kl.mean().item(), kl.min().item(), kl.max().item())
        self.lam = self.lam * self.factor if stats[0] > self.target else self.lam / self.factor
        self.lam_max = min(max(self.lam_max * self.factor if stats[2] > self.target + self.tolerance else self.lam_max / self.factor, 1.0), 1e3)
        self.lam_min = min(max(self.lam_min / self.factor if stats[1] < self.target - self.tolerance else self.lam_min * self.factor, 1e-3), 1.0)
        return sample.reshape(b, h, w, -1).permute(0, 3, 1, 2), loss, stats


torch.manual_seed(args.seed)
common = dict(ch=unet["ch"], ch_mult=unet["ch_mult"], num_res_blocks=unet["num_res_blocks"],
              attn_resolutions=unet["attn_resolutions"], resolution=unet["resolution"], z_channels=unet["z_channels"],
              dropout=unet.get("dropout", 0.0), attn_type=unet.get("attn_type", "vanilla"))
encoder = Encoder(in_channels=unet.get("in_channels", 3), double_z=True, **common)
decoder = Decoder(out_ch=unet.get("out_ch", 3), **common)
quantizer = GaussianQuantTraining(int(regularizer.get("group", 1)), int(regularizer["n_samples"]),
                                  float(regularizer.get("tolerance", 0.5)), float(regularizer.get("lam_factor", 1.01)))
logvar = torch.nn.Parameter(torch.full((), float(loss_params.get("logvar_init", 0.0))),
                            requires_grad=bool(loss_params.get("learn_logvar", False)))
parameters = ([logvar] if logvar.requires_grad else []) + list(encoder.parameters()) + list(decoder.parameters())
optimizer = torch.optim.Adam(parameters, lr=learning_rate, betas=(0.9, 0.999), eps=1e-8)

out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)
log = csv.writer((out / "metrics.csv").open("w", newline=""))
log.writerow(["step", "epoch", "images_per_s", "loss", "nll", "rec", "kl_loss", "bits_mean", "bits_min", "bits_max",
              "lambda", "lambda_min", "lambda_max", "logvar"])
print(f"reference training: {len(files)} images, {args.steps} steps, batch {batch_size}, lr {learning_rate}, threads {torch.get_num_threads()}")
clock, images_seen, started = time.perf_counter(), 0, time.perf_counter()
for step, (epoch, x) in zip(range(1, args.steps + 1), batches(args.seed)):
    optimizer.zero_grad(set_to_none=True)
    z, kl_loss, (bits_mean, bits_min, bits_max) = quantizer(encoder(x))
    reconstruction = decoder(z)
    rec = (x - reconstruction).abs()
    nll = rec / torch.exp(logvar) + logvar
    nll_loss = nll.sum() / nll.shape[0]
    loss = nll_loss + kl_weight * kl_loss
    loss.backward()
    optimizer.step()
    images_seen += x.shape[0]
    if step % args.log_every == 0 or step == args.steps:
        rate = images_seen / (time.perf_counter() - clock)
        log.writerow([step, epoch, rate, loss.item(), nll_loss.item(), rec.mean().item(), kl_loss.item(), bits_mean, bits_min,
                      bits_max, quantizer.lam, quantizer.lam_min, quantizer.lam_max, logvar.item()])
        print(f"step {step:6d} {rate:6.1f} img/s loss {loss.item():10.3f} bits {bits_mean:.2f} [{bits_min:.2f}, {bits_max:.2f}] "
              f"lam {quantizer.lam:.3f}", flush=True)
        clock, images_seen = time.perf_counter(), 0
state = {f"encoder.{k}": v for k, v in encoder.state_dict().items()}
state.update({f"decoder.{k}": v for k, v in decoder.state_dict().items()})
torch.save(state, out / "model.pth")
print(f"saved {out / 'model.pth'} after {time.perf_counter() - started:.0f} s")
