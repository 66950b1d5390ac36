"""Times the authors' tokenize path in PyTorch for a config, for comparison with `gq bench encode`: their UNet encoder
(our spec-written oracle, tools/fixtures/reference_unet.py) on random 256x256 images, then their CPU "torch" search
backend (tools/bench/reference_search.py) on the resulting posteriors, batch by batch, after one untimed warm-up batch.
Image decoding is not included (the authors' DataLoader does it in worker processes), so this favours the reference.

Memory: the torch backend materialises (B·L·n / 8) × K × d float32 values per chunk, about 8.6 GB for B = 16 at 256²
with K = 65536 and d = 16; use a smaller --batch where memory is short.

Run: OMP_NUM_THREADS=2 /usr/bin/python3 tools/bench/reference_encode.py --config configs/gq_0.25.yaml --batch 16 --images 64
"""
import argparse
import sys
import time
from pathlib import Path

import torch
import yaml

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here))
sys.path.insert(0, str(here.parent / "fixtures"))
from reference_gq import codebook, rows, split  # noqa: E402
from reference_search import authors_torch_search  # noqa: E402
from reference_unet import Decoder, Encoder  # noqa: E402

ENCODER_KEYS = ("ch", "ch_mult", "num_res_blocks", "attn_resolutions", "resolution", "in_channels", "z_channels", "double_z",
                "dropout", "attn_type")
DECODER_KEYS = ("ch", "out_ch", "ch_mult", "num_res_blocks", "attn_resolutions", "resolution", "z_channels", "dropout", "attn_type")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--images", type=int, default=64)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--encoder-only", action="store_true",
                        help="skip the search: their torch search takes minutes per image at 1 bpp, the encoder alone is the bar")
    parser.add_argument("--decoder-only", action="store_true",
                        help="time their decoder alone on random latents instead (the bar for gq decode)")
    parser.add_argument("--reconstruct", action="store_true",
                        help="their encoder, then their decoder on the posterior mean, both in one process (the bar for gq reconstruct; no search)")
    args = parser.parse_args()

    model = yaml.safe_load(Path(args.config).read_text())["model"]["params"]
    encoder_params = model["encoder_config"]["params"]
    regularizer = model["regularizer_config"]
    quantizer = regularizer.get("params", {})
    strided = regularizer["target"].endswith("GaussianQuantRegularizer")
    group = quantizer.get("group", 1) if strided else quantizer["dim"]
    size = quantizer.get("n_samples", quantizer.get("codebook_size"))
    attn_type = encoder_params.get("attn_type", "vanilla")
    if args.decoder_only:
        return time_decoder(args, encoder_params, attn_type)
    if args.reconstruct:
        return time_reconstruct(args, encoder_params, attn_type)
    encoder = network(Encoder, ENCODER_KEYS, encoder_params, attn_type)
    prior = codebook(group, size, quantizer.get("seed", 42))
    beta = quantizer.get("beta", 1.0)

    def tokenize(images):
        with torch.no_grad():
            start = time.perf_counter()
            moments = encoder(images)
            encoded = time.perf_counter()
            if args.encoder_only:
                return encoded - start, 0.0
            mean, logvar = split(moments)
            authors_torch_search(rows(mean, group, strided), rows(torch.exp(0.5 * logvar), group, strided), prior, beta)
            return encoded - start, time.perf_counter() - encoded

    generator = torch.Generator().manual_seed(1)
    batches = [min(args.batch, args.images - first) for first in range(0, args.images, args.batch)]
    tokenize(torch.rand(batches[0], 3, args.size, args.size, generator=generator) * 2 - 1)
    encoder_seconds = search_seconds = 0.0
    start = time.perf_counter()
    for count in batches:
        encoding, searching = tokenize(torch.rand(count, 3, args.size, args.size, generator=generator) * 2 - 1)
        encoder_seconds += encoding
        search_seconds += searching
    total = time.perf_counter() - start
    print(f"config={args.config} images={args.images} size={args.size} batch={args.batch} threads={torch.get_num_threads()}")
    print(f"seconds={total:.2f} encoder_s={encoder_seconds:.2f} search_s={search_seconds:.2f} "
          f"other_s={total - encoder_seconds - search_seconds:.2f}")
    print(f"images_per_s={args.images / total:.2f}")


def network(kind, keys, params, attn_type):
    """Their encoder or decoder (the configs give both the encoder's params), in eval mode."""
    return kind(**{key: value for key, value in params.items() if key in keys},
                **({"attn_type": "vanilla"} if attn_type == "vanilla-xformers" else {})).eval()


def time_reconstruct(args, params, attn_type):
    """Images through the encoder and the decoder of the posterior mean, batch by batch after a warm-up batch."""
    encoder, decoder = network(Encoder, ENCODER_KEYS, params, attn_type), network(Decoder, DECODER_KEYS, params, attn_type)
    generator = torch.Generator().manual_seed(1)
    batches = [min(args.batch, args.images - first) for first in range(0, args.images, args.batch)]

    def reconstruct(count):
        mean = encoder(torch.rand(count, 3, args.size, args.size, generator=generator) * 2 - 1).chunk(2, dim=1)[0]
        return decoder(mean).clamp(-1, 1)

    with torch.no_grad():
        reconstruct(batches[0])
        start = time.perf_counter()
        for count in batches:
            reconstruct(count)
        total = time.perf_counter() - start
    print(f"config={args.config} images={args.images} size={args.size} batch={args.batch} threads={torch.get_num_threads()} encoder + decoder")
    print(f"seconds={total:.2f} images_per_s={args.images / total:.2f}")


def time_decoder(args, params, attn_type):
    """The decoder (the configs share the encoder's params) on random latents, batch by batch after a warm-up batch."""
    decoder = network(Decoder, DECODER_KEYS, params, attn_type)
    side = args.size // 2 ** (len(params["ch_mult"]) - 1)
    generator = torch.Generator().manual_seed(1)
    batches = [min(args.batch, args.images - first) for first in range(0, args.images, args.batch)]
    with torch.no_grad():
        decoder(torch.randn(batches[0], params["z_channels"], side, side, generator=generator))
        start = time.perf_counter()
        for count in batches:
            decoder(torch.randn(count, params["z_channels"], side, side, generator=generator))
        total = time.perf_counter() - start
    print(f"config={args.config} images={args.images} size={args.size} batch={args.batch} threads={torch.get_num_threads()} decoder only")
    print(f"seconds={total:.2f} images_per_s={args.images / total:.2f}")


if __name__ == "__main__":
    main()
