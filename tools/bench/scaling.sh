#!/bin/bash
# One rank with two threads against two ranks with one thread (and one thread alone, for scale), for gq encode and
# gq train, plus the 4 MB all-reduce: the "Several processes" figures of docs/performance.md. Wall times include
# each process's start. Usage: tools/bench/scaling.sh IMAGE_DIR TRAIN_DATA_DIR [OUT_DIR]
# (the published run: 320 Tiny-ImageNet images val_9000..val_9319, and ../shared/data/cifar10-train-first4000).
set -u
cd "$(dirname "$0")/../.."
images=$1; train_data=$2; out=${3:-/tmp/gq-scaling}
gq=$PWD/src/GaussQuant.Cli/bin/Release/net10.0/gq
[ -x "$gq" ] || dotnet build src/GaussQuant.Cli -c Release -v q
rm -rf "$out"; mkdir -p "$out"
timed() { local name=$1; shift; local start=$(date +%s.%N); "$@" > "$out/$name.log" 2>&1; local rc=$?
          echo "$name rc=$rc wall=$(echo "$(date +%s.%N) - $start" | bc) s"; }
for run in 1 2; do
  timed encode_1x2_$run "$gq" encode "$images" -o "$out/e12_$run.npy" --threads 2
  timed encode_2x1_$run mpirun.mpich -np 2 "$gq" encode "$images" -o "$out/e21_$run.npy" --threads 1
  timed encode_1x1_$run "$gq" encode "$images" -o "$out/e11_$run.npy" --threads 1
done
cmp "$out/e12_1.npy" "$out/e21_1.npy" && echo "encode: both layouts wrote the same tokens"
timed allreduce mpirun.mpich -np 2 "$gq" bench allreduce --megabytes 4 --repetitions 50
tail -1 "$out/allreduce.log"
train=(train --config configs/cifar32_k4096.yaml --data "$train_data" --max-steps 40 --log-every 10 data.params.batch_size=8)
for run in 1 2; do
  timed train_1x2_$run "$gq" "${train[@]}" --out "$out/t12_$run" --threads 2
  timed train_2x1_$run mpirun.mpich -np 2 "$gq" "${train[@]}" --out "$out/t21_$run" --threads 1
  timed train_1x1_$run "$gq" "${train[@]}" --out "$out/t11_$run" --threads 1
done
grep -h "all-reduced" "$out"/train_2x1_*.log
