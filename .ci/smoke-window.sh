#!/usr/bin/env bash
# Starts the real factmark binary under Xvfb on the bundled example story, takes a
# screenshot and fails if no window came up or the screen is blank.
set -euo pipefail
bin=${1:-target/debug/factmark}
out=${2:-target/smoke-window.png}
home=$(mktemp -d)
# Xvfb picks a free display and writes its number once it listens (no fixed number to clash).
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$home/display" >/dev/null 2>&1 &
xvfb=$!
cleanup() { kill "${app:-}" "$xvfb" 2>/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT
for _ in $(seq 200); do [ -s "$home/display" ] && break; sleep 0.1; done
[ -s "$home/display" ] || { echo "smoke: Xvfb did not start"; exit 1; }
display=:$(head -n1 "$home/display")
env -u WAYLAND_DISPLAY DISPLAY="$display" HOME="$home" "$bin" assets/example-story.txt >"$home/app.log" 2>&1 &
app=$!
if ! DISPLAY="$display" timeout 60 xdotool search --sync --name 'factmark' >/dev/null; then
    echo "smoke: no factmark window appeared"; cat "$home/app.log"; exit 1
fi
sleep 4
if ! kill -0 "$app" 2>/dev/null; then
    echo "smoke: factmark exited early"; cat "$home/app.log"; exit 1
fi
DISPLAY="$display" import -window root "$out"
colors=$(identify -format '%k' "$out")
echo "smoke: window up, screenshot $out has $colors colours"
if [ "$colors" -lt 50 ]; then
    echo "smoke: the window looks blank"; exit 1
fi
if [ -n "$(git status --porcelain -- assets)" ]; then
    echo "smoke: opening the story changed files in assets/ (opening must never write)"; git status --short -- assets; exit 1
fi
