#!/usr/bin/env bash
# One benchmark sitting for docs/performance.md: GaussQuant and the authors' PyTorch path measured back to back on the
# same quiet machine, two threads each, so every figure can be read as a ratio against a baseline of the same run.
# Usage: tools/bench/sitting.sh GQ_DLL [BENCH_PROJECT_TOO]   (run from the repository root; prints a log to stdout)
set -euo pipefail
gq=(dotnet "$1"); with_benchmarkdotnet=${2:-}
export OMP_NUM_THREADS=2
python=/usr/bin/python3
scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
peak_rss() { /usr/bin/time -o "$scratch/rss" -f %M "$@"; echo "peak_rss_mib=$(($(cat "$scratch/rss") / 1024))"; }
section() { printf '\n## %s\n' "$*"; }

section "machine"
date -u; nproc; lscpu | grep -E 'Model name'; grep -o -w -E 'avx2|avx512f|avx512_bf16|amx_bf16|amx_tile' /proc/cpuinfo | sort -u | tr '\n' ' '; echo
cat /proc/loadavg
cpu_s() { /usr/bin/time -o "$scratch/cpu" -f '%U %S %M' "$@" >"$scratch/out"; tr '\n' ' ' <"$scratch/out";
          awk '{printf "cpu_s=%.2f peak_rss_mib=%d\n", $1 + $2, $3 / 1024}' "$scratch/cpu"; }

# Issue 14's targets as ratios of one sitting. On a machine shared with other work the wall clock swings with the load,
# so the network figures are also given by CPU time at one thread (no thread waits for another there).
section "profile: encoder and decoder by layer kind, 256x256, configs/gq_0.25.yaml, 1 and 2 threads, fp32 and bf16"
for threads in 1 2; do
    for precision in fp32 bf16; do
        "${gq[@]}" bench profile --config configs/gq_0.25.yaml --size 256 --batch 1 --passes 2 --threads $threads --precision $precision
    done
done
section "encode and decode 256x256, configs/gq_0.25.yaml, fp32 vs bf16 vs the PyTorch network alone, 1 thread, CPU time and peak RSS"
for batch in 1 8; do
    images=$((batch == 1 ? 2 : 8))
    for direction in encode decode; do
        for precision in fp32 bf16; do
            echo "gq $direction $precision batch $batch: $(cpu_s "${gq[@]}" bench $direction --config configs/gq_0.25.yaml --batch $batch \
                --images $images --threads 1 --precision $precision)"
        done
        echo "pytorch ${direction}r alone batch $batch: $(OMP_NUM_THREADS=1 cpu_s $python tools/bench/reference_encode.py \
            --config configs/gq_0.25.yaml --batch $batch --images $images --${direction}r-only)"
    done
done
section "huge pages for feature maps: gq as it starts (glibc.malloc.hugetlb=1) against it turned off, alternating, fp32, 1 thread"
for round in 1 2; do
    for tunables in "" "glibc.malloc.hugetlb=0"; do
        echo "gq encode batch 8 GLIBC_TUNABLES=${tunables:-empty}: $(GLIBC_TUNABLES=$tunables cpu_s "${gq[@]}" bench encode \
            --config configs/gq_0.25.yaml --batch 8 --images 8 --threads 1 --precision fp32)"
    done
done
section "reconstruct 256x256 from a random-weights checkpoint, configs/gq_0.25.yaml, fp32 and bf16 vs PyTorch's encoder + decoder (its decoder alone is above), 1 thread"
# gq reconstruct reads its weights from a file, as a user's run does, so the load's peak counts too.
$python tools/bench/random_weights.py --config configs/gq_0.25.yaml -o "$scratch/random.ckpt" >/dev/null
$python -c "import sys, numpy; from PIL import Image; rng = numpy.random.default_rng(1)
for i in range(8): Image.fromarray(rng.integers(0, 256, (256, 256, 3), dtype=numpy.uint8)).save(f'{sys.argv[1]}/random_{i}.png')" "$scratch"
for batch in 1 8; do
    images=$((batch == 1 ? 2 : 8))
    for precision in fp32 bf16; do
        echo "gq reconstruct $precision batch $batch: $(cpu_s "${gq[@]}" reconstruct $(ls "$scratch"/random_*.png | head -$images) -o "$scratch/reconstructed" \
            --ckpt "$scratch/random.ckpt" --config configs/gq_0.25.yaml --batch $batch --threads 1 --precision $precision --overwrite)"
    done
    echo "pytorch encoder + decoder batch $batch: $(OMP_NUM_THREADS=1 cpu_s $python tools/bench/reference_encode.py \
        --config configs/gq_0.25.yaml --batch $batch --images $images --reconstruct)"
done
section "bf16 against fp32 on real images: the built-in model on 256 Tiny-ImageNet validation images (needs ../shared)"
tiny=../shared/data/tiny-imagenet-200-val/images
if [ -d "$tiny" ]; then
    # Absolute paths: gq eval reads a list's relative entries against the list's own folder, here the scratch one.
    ls "$tiny" | sort -V | head -256 | sed "s|^|$(cd "$tiny" && pwd)/|" > "$scratch/tiny.txt"
    for precision in fp32 bf16; do
        echo "gq encode $precision: $(cpu_s "${gq[@]}" encode $(cat "$scratch/tiny.txt") -o "$scratch/tiny_$precision.npy" --threads 1 --precision $precision)"
        "${gq[@]}" eval --data "$scratch/tiny.txt" -o "$scratch/eval_$precision.json" --threads 1 --precision $precision >/dev/null
        $python -c "import json,sys; r=json.load(open(sys.argv[1])); print(sys.argv[2], {m: round(v['psnr']['mean'], 3) for m, v in r['modes'].items()})" \
            "$scratch/eval_$precision.json" "psnr $precision"
    done
    $python -c "import numpy as n,sys; a,b=n.load(sys.argv[1]),n.load(sys.argv[2]); print(f'token agreement bf16/fp32 = {(a == b).mean():.4f} of {a.size}')" \
        "$scratch/tiny_fp32.npy" "$scratch/tiny_bf16.npy"
fi

section "search: GaussQuant, K x d grid, 2 threads"
for size in 1024 4096 16384 65536; do
    for dim in 4 8 16; do
        tokens=$((16384 * 65536 / size)); tokens=$((tokens > 1048576 ? 1048576 : tokens))
        "${gq[@]}" bench search --size $size --dim $dim --tokens $tokens --threads 2 | tr '\n' ' '; echo
    done
done
section "search: GaussQuant, K=65536 d=16, 1 and 2 threads, three times each, alternating (scaling = 2-thread / 1-thread)"
for repeat in 1 2 3; do
    for threads in 1 2; do
        "${gq[@]}" bench search --size 65536 --dim 16 --tokens 16384 --threads $threads | tr '\n' ' '; echo
    done
done
section "search: the authors' torch backend"
$python tools/bench/reference_search.py --size 65536 --dim 16 --tokens 1024 | tr '\n' ' '; echo
$python tools/bench/reference_search.py --size 4096 --dim 16 --tokens 4096 | tr '\n' ' '; echo

for config in 0.25 0.50 1.00; do
    section "encode 256x256, configs/gq_$config.yaml (random weights)"
    for batch in 1 8; do
        images=$((batch == 1 ? 4 : 8))
        echo "gq batch $batch: $(peak_rss "${gq[@]}" bench encode --config configs/gq_$config.yaml --batch $batch --images $images | tr '\n' ' ')"
        echo "pytorch encoder alone batch $batch: $(peak_rss $python tools/bench/reference_encode.py --config configs/gq_$config.yaml \
            --batch $batch --images $images --encoder-only | tr '\n' ' ')"
    done
done
section "encode 256x256, the authors' full path (encoder + torch search), configs/gq_0.25.yaml, batch 1"
echo "$(peak_rss $python tools/bench/reference_encode.py --config configs/gq_0.25.yaml --batch 1 --images 2 | tr '\n' ' ')"

section "training throughput, configs/cifar32_k1024.yaml, batch 32, 100 steps, 2 threads (img/s from step 40 on)"
"${gq[@]}" train --config configs/cifar32_k1024.yaml --data configs/splits/cifar10_train.txt --out "$scratch/gq" \
    --max-steps 100 --log-every 20 --sample-every 1000 --checkpoint-every 1000 --threads 2 --workers 2 \
    | awk '/^step/ && $2 > 20 {sum += $5; n++} END {printf "gq train img_per_s=%.1f\n", sum / n}'
$python tools/reference/train_reference.py --config configs/cifar32_k1024.yaml --data configs/splits/cifar10_train.txt \
    --steps 100 --log-every 20 --out "$scratch/reference" \
    | awk '/^step/ && $2 > 20 {sum += $3; n++} END {printf "pytorch train img_per_s=%.1f\n", sum / n}'

if [ -n "$with_benchmarkdotnet" ]; then
    section "BenchmarkDotNet: CodebookSearchBenchmarks (short job)"
    dotnet run -c Release --project bench/GaussQuant.Bench -- --filter '*' 2>&1 | sed -n '/^| *Method/,/^$/p'
fi
