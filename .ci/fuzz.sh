#!/usr/bin/env bash
# Short fuzz run for CI: installs cargo-fuzz if missing, builds the targets in fuzz/ with
# the nightly toolchain, and runs each for a bounded time (FUZZ_SECONDS, default 60).
# Any crash fails the script; libFuzzer leaves the input in fuzz/artifacts/TARGET/, and
# each one found becomes a regression test in tests/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal

targets=(text_decode sidecar_parse sidecar_codec reanchor merge w3c_import)
cargo +nightly fuzz build -O
log="$(mktemp)"
for t in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$t"
    echo "fuzz: $t for ${seconds}s"
    # -max_len bounds one input; -rss_limit_mb stops a runaway input from taking the machine.
    if ! cargo +nightly fuzz run -O "$t" -- -max_total_time="$seconds" -max_len=65536 \
        -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
        tail -n 40 "$log"
        echo "fuzz: $t found a problem; the input is in fuzz/artifacts/$t/"
        exit 1
    fi
    grep -E '^stat::(number_of_executed_units|new_units_added)' "$log" || true
done
rm -f "$log"
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s each without findings"
