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
date -u; nproc; lscpu | grep -E 'Model name'; lscpu | grep -o -E 'avx512f|avx2' | sort -u | tr '\n' ' '; echo

section "search: GaussQuant, K x d grid, 2 threads"
for size in 1024 4096 16384 65536; do
    for dim in 4 8 16; do
        tokens=$((16384 * 65536 / size)); tokens=$((tokens > 1048576 ? 1048576 : tokens))
        "${gq[@]}" bench search --size $size --dim $dim --tokens $tokens --threads 2 | tr '\n' ' '; echo
    done
done
section "search: GaussQuant, K=65536 d=16, 1 thread"
"${gq[@]}" bench search --size 65536 --dim 16 --tokens 16384 --threads 1 | tr '\n' ' '; echo
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
