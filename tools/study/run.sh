#!/usr/bin/env bash
# The GQ-against-baselines study (docs/study.md), from scratch or from wherever it stopped: trains every row of
# tools/study/rows/ (the same UNet, data, steps, optimiser and seed; only the quantizer differs), evaluates each on
# held-out Tiny-ImageNet and on BSDS500, sweeps the codebook size chosen at inference for the 12-bit GQ model, trains
# more seeds of GQ and of the best baseline, and regenerates the tables and plots (tools/study/report.py).
#
# Rerunning it continues: a run with a checkpoint is resumed (`gq train --resume`, bitwise the same as an uninterrupted
# run at the same thread count), a finished one is skipped, and an evaluation is redone only when its model is newer.
set -uo pipefail

usage() {
    cat <<'EOF'
usage: tools/study/run.sh [options]
  --root DIR          run directories and evaluations (default: runs/study)
  --steps N           training steps per row (default: 3500, the built-in model's)
  --threads N         LibTorch threads per training (default: 2; with --parallel 2 use 1)
  --parallel P        train P rows at a time (default: 1; 2 runs two rows side by side)
  --limit N           evaluate only the first N images of each set (default: all; for smoke runs)
  --rows "A B ..."    the first-seed rows to train (default: the 12-bit rows and the Gaussian VAE)
  --with-8bit         add the 8-bit rows (gq_k256 gq2_k16 vq_k256 fsq_884 lfq_8 bsq_8)
  --seeds "S1 S2 ..." the seed of every row, then the further seeds of GQ and the best baseline (default: "23 24")
  --best-baseline R   the baseline that gets the further seeds (default: the best held-out PSNR among the baselines)
  --sweep-bits "..."  log2 K' of the codebook-size sweep (default: "8 9 10 11 12 13 14 15 16")
  --eval-args "..."   extra gq eval options for every evaluation, e.g. "--lpips-weights F --lpips-heads F --fid-weights F"
  --doc FILE          the page the report writes its results into (default: docs/study.md)
  --figures DIR       where the report's PNG plots go (default: docs/study)
  --archive DIR       the committed records the report keeps of every run and reads for runs whose directory is gone
                      (default: FIGURES/runs, so docs/study/runs; a smoke run's --figures keeps its records apart)
  --no-report         skip the report
Environment: GQ (the gq command; default: build src/GaussQuant.Cli once and run its gq.dll), PYTHON (python3 with PIL).
EOF
}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
root=runs/study steps=3500 threads=2 parallel=1 limit="" with8=0 best="" report=1 eval_args=""
rows="gq_k4096 gq2_k64 vq_k4096 fsq_8888 lfq_12 bsq_12 gaussian_vae"
rows8="gq_k256 gq2_k16 vq_k256 fsq_884 lfq_8 bsq_8"
seeds="23 24" sweep="8 9 10 11 12 13 14 15 16"
doc=docs/study.md figures=docs/study archive=""
while [ $# -gt 0 ]; do
    case "$1" in
        --root) root=$2; shift 2 ;;
        --steps) steps=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --parallel) parallel=$2; shift 2 ;;
        --limit) limit=$2; shift 2 ;;
        --rows) rows=$2; shift 2 ;;
        --with-8bit) with8=1; shift ;;
        --seeds) seeds=$2; shift 2 ;;
        --best-baseline) best=$2; shift 2 ;;
        --sweep-bits) sweep=$2; shift 2 ;;
        --eval-args) eval_args=$2; shift 2 ;;
        --doc) doc=$2; shift 2 ;;
        --figures) figures=$2; shift 2 ;;
        --archive) archive=$2; shift 2 ;;
        --no-report) report=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
[ "$with8" = 1 ] && rows="$rows $rows8"
archive=${archive:-$figures/runs}
read -r seed repeats <<<"$seeds"
cd "$repo" || exit 1
mkdir -p "$root/logs"

base=configs/tiny64_f4_k4096.yaml
train_list=configs/splits/tiny_imagenet_train.txt
heldout=configs/splits/tiny_imagenet_heldout.txt
bsds=../shared/data/bsds500-train
baselines="vq_k4096 fsq_8888 lfq_12 bsq_12"

if [ -z "${GQ:-}" ]; then
    dotnet build src/GaussQuant.Cli -c Release -v quiet -nologo >"$root/logs/build.log" 2>&1 \
        || { echo "run.sh: building gq failed, see $root/logs/build.log" >&2; exit 1; }
    GQ="dotnet $repo/src/GaussQuant.Cli/bin/Release/net10.0/gq.dll"
fi
if [ -z "${PYTHON:-}" ]; then
    PYTHON=python3
    $PYTHON -c 'import PIL' 2>/dev/null || PYTHON=/usr/bin/python3
fi

log() { echo "[$(date -u +%H:%M:%S)] $*"; }

# The overrides of a row: its .args file without comments and blank lines, one key=value per line.
overrides() { grep -v -e '^#' -e '^[[:space:]]*$' "$here/rows/$1.args"; }

last_step() { cat "$1/checkpoints/last" 2>/dev/null || echo -1; }

# Trains ROW with SEED in ROOT/ROW-sSEED up to --steps: new, resumed from its last checkpoint, or skipped when done.
train() {
    local row=$1 seed=$2 run="$root/$1-s$2" out="$root/logs/$1-s$2.train.log"
    [ -f "$here/rows/$row.args" ] || { echo "run.sh: no row $row in $here/rows" >&2; return 2; }
    if [ -f "$run/model.safetensors" ] && [ "$(last_step "$run")" -ge "$steps" ]; then
        log "$row seed $seed: trained ($steps steps)"; return 0
    fi
    local -a command settings
    if [ "$(last_step "$run")" -ge 0 ]; then
        log "$row seed $seed: resuming at step $(last_step "$run") → $steps"
        command=(train --out "$run" --resume --max-steps "$steps")
    else
        log "$row seed $seed: training 0 → $steps"
        # A directory without a checkpoint holds nothing to keep (a run stopped before its first checkpoint).
        mapfile -t settings < <(overrides "$row")
        command=(train --config "$base" --data "$train_list" --out "$run" --max-steps "$steps" --seed "$seed" --overwrite "${settings[@]}")
    fi
    $GQ "${command[@]}" --threads "$threads" --workers 1 >>"$out" 2>&1 \
        || { echo "run.sh: $row seed $seed failed, see $out" >&2; return 1; }
}

# Trains the rows given, --parallel at a time; fails when one of them did.
train_all() {
    local seed=$1 failed=0 row; shift
    for row in "$@"; do
        train "$row" "$seed" &
        while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || failed=1; done
    done
    while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || failed=1; done
    wait || failed=1
    return $failed
}

# Evaluates RUN's model on DATA into OUT (JSON) with the extra gq eval options given; redone only when the model is newer.
evaluate() {
    local run=$1 data=$2 out=$3; shift 3
    [ -f "$out" ] && [ "$out" -nt "$run/model.safetensors" ] && return 0
    log "$(basename "$run"): gq eval $data $* → $out"
    mkdir -p "$(dirname "$out")"
    $GQ eval --ckpt "$run/model.safetensors" --data "$data" --size 64 ${limit:+--limit "$limit"} --threads "$threads" \
        -o "$out" --overwrite $eval_args "$@" >>"$root/logs/$(basename "$run").eval.log" 2>&1 \
        || { echo "run.sh: evaluating $run on $data failed, see $root/logs/$(basename "$run").eval.log" >&2; return 1; }
}

# The modes worth measuring: GQ through its tokens and its posterior mean, the Gaussian VAE its mean, the others their tokens.
modes_of() { case "$1" in gq*) echo both ;; gaussian*) echo mean ;; *) echo vq ;; esac; }

evaluate_row() {
    local row=$1 seed=$2 run="$root/$1-s$2" mode
    mode=$(modes_of "$row")
    evaluate "$run" "$heldout" "$run/eval/tiny.json" --mode "$mode" || return 1
    evaluate "$run" "$bsds" "$run/eval/bsds.json" --mode "$mode"
}

# The 12-bit GQ model quantized with codebooks of 2^8 ... 2^16 entries chosen at inference.
sweep_codebook() {
    local run="$root/gq_k4096-s$seed" bits
    for bits in $sweep; do
        evaluate "$run" "$heldout" "$run/sweep/tiny-k$((1 << bits)).json" --mode vq --codebook-size $((1 << bits)) || return 1
        evaluate "$run" "$bsds" "$run/sweep/bsds-k$((1 << bits)).json" --mode vq --codebook-size $((1 << bits)) || return 1
    done
}

# The baseline with the best held-out PSNR through its tokens (from its run directory, else from its archived record).
best_baseline() {
    $PYTHON - "$root" "$archive" "$seed" $baselines <<'EOF'
import json, os, sys
root, archive, seed, rows = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def psnr(row):
    for folder in (root, archive):
        path = os.path.join(folder, f"{row}-s{seed}", "eval", "tiny.json")
        if os.path.exists(path):
            return json.load(open(path))["modes"]["vq"]["psnr"]["mean"]
    return float("-inf")
print(max(rows, key=psnr))
EOF
}

status=0
log "study in $root: rows [$rows], $steps steps, seed $seed, $threads thread(s) x $parallel"
train_all "$seed" $rows || status=1
for row in $rows; do
    [ -f "$root/$row-s$seed/model.safetensors" ] && { evaluate_row "$row" "$seed" || status=1; }
done
case " $rows " in *" gq_k4096 "*) sweep_codebook || status=1 ;; esac

[ -n "$best" ] || best=$(best_baseline)
repeated_rows=""
for row in gq_k4096 $best; do case " $rows " in *" $row "*) repeated_rows="$repeated_rows $row" ;; esac; done
for extra in $repeats; do
    [ -n "$repeated_rows" ] || break
    log "seed $extra for:$repeated_rows"
    train_all "$extra" $repeated_rows || status=1
    for row in $repeated_rows; do
        [ -f "$root/$row-s$extra/model.safetensors" ] && { evaluate_row "$row" "$extra" || status=1; }
    done
done

if [ "$report" = 1 ]; then
    log "report → $doc, $figures/"
    $PYTHON "$here/report.py" --root "$root" --archive "$archive" --doc "$doc" --figures "$figures" || status=1
fi
[ $status = 0 ] && log "done" || log "finished with failures (see above and $root/logs)"
exit $status
