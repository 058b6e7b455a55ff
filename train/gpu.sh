#!/usr/bin/env bash
# Reader stage 2 on a lent GPU machine (`device`): the groups are prepared here, the training
# runs there in minutes, the model comes back in pieces under the size limit of returned files.
#
#   train/gpu.sh pack                 # here: train/cache/sharednorm -> .gpu/ (compressed, git-ignored)
#   train/gpu.sh train OUT [ARGS...]  # there: unpack, train (ARGS go to `sharednorm.py train`),
#                                     # export into OUT/reader (weights split in three)
#   train/gpu.sh unpack DIR           # here: DIR/reader -> train/cache/gpu-reader (a loadable reader)
#
# The device run: `run` with carry [".gpu"] and the command (the committed code, the shipped model)
#   mkdir /tmp/src && xz -dc .gpu/src.tar.xz | tar -C /tmp/src -xf - && ln -s $PWD/qa/models /tmp/src/qa/models \
#   && ln -s $PWD/.gpu /tmp/src/.gpu && PYTHONUNBUFFERED=1 /tmp/src/train/gpu.sh train $OUT --epochs 2 \
#   --groups-per-batch 32 --lr 5e-5 --seconds 420 --freeze-embeddings
# (--freeze-embeddings keeps the sentence judge's network usable; `prepare --paraphrased-share 1.0` here
# adds questions asked in other words, `train/paraphrase.py`)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cache="$here/train/cache/sharednorm"
case "${1:-}" in
pack)
    mkdir -p "$here/.gpu"
    tar -C "$cache" -cf - settings.json train.npz train.json heldout.npz heldout.json | xz -9 -T2 >"$here/.gpu/groups.tar.xz"
    # the committed code travels too, so that edits in progress in the working tree cannot break the run
    git -C "$here" archive HEAD -- qa train ':!qa/models' | xz -9 >"$here/.gpu/src.tar.xz"
    ls -la "$here/.gpu"
    ;;
train)
    out="$2"
    shift 2
    python=${PYTHON:-python3}
    work=/tmp/sharednorm
    mkdir -p "$work" "$out/reader"
    xz -dc "$here/.gpu/groups.tar.xz" | tar -C "$work" -xf -
    nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
    "$python" "$here/train/sharednorm.py" --cache "$work" --eval-limit "${EVAL_LIMIT:-600}" train --quiet --save-every 500 "$@" 2>&1 | tee "$out/train-output.txt"
    lr=3e-5 previous=""
    for arg in "$@"; do
        [ "$previous" = "--lr" ] && lr="$arg"
        previous="$arg"
    done
    # exported whether or not it beats the shipped model on held-out groups (--force): the
    # product's own evaluation here decides whether it ships (`train/calibrate.py`, `qa eval`)
    "$python" "$here/train/sharednorm.py" --cache "$work" --eval-limit "${EVAL_LIMIT:-600}" export --lr "$lr" --force --output "$work/reader" 2>&1 | tee -a "$out/train-output.txt"
    cp "$work/train.log" "$out/train.log"
    if [ -d "$work/reader" ]; then
        cp "$work/reader/reader.json" "$work/reader/config.json" "$out/reader/"
        (cd "$out/reader" && split -n 3 -d "$work/reader/model.safetensors" model.safetensors.part)
    fi
    ;;
unpack)
    from="$2/reader"
    to="$here/train/cache/gpu-reader"
    rm -rf "$to" && mkdir -p "$to"
    cat "$from"/model.safetensors.part* >"$to/model.safetensors"
    cp "$from/reader.json" "$from/config.json" "$to/"
    for name in tokenizer.json tokenizer_config.json special_tokens_map.json vocab.txt README.md; do
        cp "$here/qa/models/reader/$name" "$to/"
    done
    # the sentence judge reads only the reader's embeddings: trained with --freeze-embeddings,
    # the new reader keeps the shipped judge (its refusal cut to calibrate again:
    # `judge.py --reader DIR collect` and `calibrate`); else `make judge` trains one for it
    python=${PYTHON:-}
    [ -n "$python" ] || { [ -x "$here/.venv/bin/python" ] && python="$here/.venv/bin/python"; } || python=python3
    status=0
    "$python" "$here/train/judge.py" restamp "$to" || status=$?
    [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || exit "$status"  # 3: its embeddings moved (make judge)
    echo "a reader in $to: try it with QA_READER=$to; make it the shipped one with train/calibrate.py"
    ;;
*)
    sed -n "2,16p" "$0"
    exit 2
    ;;
esac
