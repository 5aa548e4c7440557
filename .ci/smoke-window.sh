#!/usr/bin/env bash
# Starts the real factmark binary under Xvfb on the bundled example story, takes a
# screenshot and fails if no window came up or the screen is blank.
set -euo pipefail
bin=${1:-target/debug/factmark}
out=${2:-target/smoke-window.png}
display=:$((90 + RANDOM % 9))
home=$(mktemp -d)
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
cleanup() { kill "${app:-}" "$xvfb" 2>/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT
sleep 1
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
