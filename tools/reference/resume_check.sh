#!/usr/bin/env bash
# Shows that a training run killed with SIGKILL and resumed ends with the same weights, optimiser state, λ and
# generator state as an uninterrupted run of the same length (same thread count, CPU).
# Usage: tools/reference/resume_check.sh GQ_DLL OUTDIR [STEPS]
set -euo pipefail
gq=(dotnet "$1"); out=$2; steps=${3:-300}
# The schedule and thread counts every run shares, the resumed one included (it reads config and data from the run).
schedule=(--max-steps "$steps" --checkpoint-every $((steps / 3)) --log-every $((steps / 6)) --sample-every "$steps"
          --threads 1 --workers 1)
common=(--config configs/cifar32_k1024.yaml --data configs/splits/cifar10_train.txt "${schedule[@]}")
rm -rf "$out"; mkdir -p "$out"

"${gq[@]}" train "${common[@]}" --out "$out/uninterrupted" > "$out/uninterrupted.log"

"${gq[@]}" train "${common[@]}" --out "$out/killed" > "$out/killed.log" &
pid=$!
kill_after=$((2 * steps / 3))
until [ -f "$out/killed/checkpoints/last" ] && [ "$(cat "$out/killed/checkpoints/last")" -ge "$kill_after" ]; do sleep 1; done
sleep 5   # well into the steps after that checkpoint
kill -9 "$pid"; wait "$pid" || true
echo "killed with SIGKILL after checkpoint $(cat "$out/killed/checkpoints/last"); last logged: $(tail -n 1 "$out/killed/metrics.csv" | cut -d, -f1)"

"${gq[@]}" train "${schedule[@]}" --out "$out/killed" --resume > "$out/resumed.log"

/usr/bin/python3 - "$out" "$steps" <<'PY'
import json, struct, sys
out, steps = sys.argv[1], int(sys.argv[2])
def tensors(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n]); header.pop("__metadata__", None)
    return header, data[8 + n:]
name = f"step-{steps:06d}"
a, b = (tensors(f"{out}/{run}/checkpoints/{name}.safetensors") for run in ("uninterrupted", "killed"))
same_weights = a == b
same_state = open(f"{out}/uninterrupted/checkpoints/state-{steps:06d}.bin", "rb").read() == open(f"{out}/killed/checkpoints/state-{steps:06d}.bin", "rb").read()
print(f"weights identical: {same_weights} ({len(a[0])} tensors, {len(a[1])} bytes); optimiser/λ/generator state identical: {same_state}")
sys.exit(0 if same_weights and same_state else 1)
PY
