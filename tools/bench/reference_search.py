"""Times the authors' CPU search (their "torch" backend: rows in chunks of N // 8, each chunk materialising a
chunk × K × d tensor of log-probabilities) on the same kind of posteriors as `gq bench search`, for comparison.

Run: OMP_NUM_THREADS=2 /usr/bin/python3 tools/bench/reference_search.py --size 65536 --dim 16 --tokens 1024
"""
import argparse
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from reference_gq import codebook  # noqa: E402


def authors_torch_search(mean, std, prior, beta=1.0):
    """Indices of the best codebook rows for rows of posteriors [N, d], the way the authors' torch backend finds them
    (chunks of N // 8 rows; N < 8 fails there, so it is rounded up to one row here)."""
    prior_log_prob = torch.distributions.Normal(0, 1).log_prob(prior)
    chunk = max(1, mean.shape[0] // 8)
    indices = []
    with torch.no_grad():
        for first in range(0, mean.shape[0], chunk):
            log_q = torch.distributions.Normal(mean[first:first + chunk, None], std[first:first + chunk, None]).log_prob(prior[None])
            indices.append((log_q - beta * prior_log_prob[None]).sum(-1).argmax(dim=1))
    return torch.cat(indices)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=65536)
    parser.add_argument("--dim", type=int, default=16)
    parser.add_argument("--tokens", type=int, default=1024)
    args = parser.parse_args()

    prior = codebook(args.dim, args.size)
    generator = torch.Generator().manual_seed(1)
    mean = torch.randn(args.tokens, args.dim, generator=generator) * 0.9
    std = torch.rand(args.tokens, args.dim, generator=generator) * 0.4 + 0.2

    start = time.perf_counter()
    authors_torch_search(mean, std, prior)
    elapsed = time.perf_counter() - start
    print(f"threads={torch.get_num_threads()} K={args.size} d={args.dim} tokens={args.tokens} seconds={elapsed:.2f}")
    print(f"tokens_per_s={args.tokens / elapsed:.1f}")


if __name__ == "__main__":
    main()
