"""Writes a checkpoint of random weights for a UNet config (PyTorch's default initialisation, a fixed seed), so that
`gq encode`, `gq decode` and `gq reconstruct` can be timed and their memory measured at 256² without the authors'
trained weights: speed and memory do not depend on the weights, and bf16/fp32 token agreement on real images can be
measured through a network of the real shape.

Run: /usr/bin/python3 tools/bench/random_weights.py --config configs/gq_0.25.yaml -o /tmp/gq_0.25_random.ckpt
"""
import argparse
import sys
from pathlib import Path

import torch
import yaml

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here))
sys.path.insert(0, str(here.parent / "fixtures"))
from reference_encode import DECODER_KEYS, ENCODER_KEYS  # noqa: E402
from reference_unet import Decoder, Encoder  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    params = yaml.safe_load(Path(args.config).read_text())["model"]["params"]["encoder_config"]["params"]
    torch.manual_seed(0)
    encoder = Encoder(**{key: value for key, value in params.items() if key in ENCODER_KEYS})
    decoder = Decoder(**{key: value for key, value in params.items() if key in DECODER_KEYS})
    state = {f"encoder.{key}": value for key, value in encoder.state_dict().items()}
    state.update({f"decoder.{key}": value for key, value in decoder.state_dict().items()})
    torch.save({"state_dict": state}, args.output)
    print(f"wrote {args.output}: {len(state)} tensors")


if __name__ == "__main__":
    main()
