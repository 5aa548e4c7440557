#!/usr/bin/env bash
# CI's packaging step (run as root): builds the Debian package, installs it with dpkg,
# checks the installed files and the window from /usr/bin/factmark, then removes it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-deb >/dev/null; then
    # Debian bookworm has no cargo-deb package, so it is built from crates.io (a few
    # minutes on two cores; see docs/PACKAGING.md for the figures).
    start=$SECONDS
    nice -n 10 cargo install cargo-deb --locked --quiet
    echo "package: cargo-deb installed in $((SECONDS - start)) s"
fi
need=()
command -v man >/dev/null || need+=(man-db)
command -v desktop-file-validate >/dev/null || need+=(desktop-file-utils)
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

desktop-file-validate assets/factmark.desktop

start=$SECONDS
deb=$(bash .ci/build-deb.sh | tail -n 1)
echo "package: built $deb ($(du -h "$deb" | cut -f1)) in $((SECONDS - start)) s"

# A leftover install from an interrupted run would hide a broken package.
dpkg -r factmark >/dev/null 2>&1 || true
# dpkg does not fetch dependencies; when some are missing it leaves the package
# unconfigured and apt-get -f installs them and finishes the job.
if ! dpkg -i "$deb"; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq >/dev/null
fi
dpkg-query -W -f='package: installed ${Package} ${Version} (${db:Status-Status})\n' factmark
[ "$(dpkg-query -W -f='${db:Status-Status}' factmark)" = installed ]

removed=0
cleanup() { [ "$removed" = 1 ] || dpkg -r factmark >/dev/null 2>&1 || true; }
trap cleanup EXIT

[ -x /usr/bin/factmark ] || { echo "package: /usr/bin/factmark was not installed"; exit 1; }
/usr/bin/factmark --version
man -w factmark
for f in /usr/share/applications/factmark.desktop \
    /usr/share/icons/hicolor/48x48/apps/factmark.png \
    /usr/share/bash-completion/completions/factmark \
    /usr/share/zsh/vendor-completions/_factmark \
    /usr/share/fish/vendor_completions.d/factmark.fish; do
    [ -s "$f" ] || { echo "package: $f is missing or empty"; exit 1; }
done

bash .ci/smoke-window.sh /usr/bin/factmark target/smoke-window-deb.png

dpkg -r factmark
removed=1
if [ -e /usr/bin/factmark ] || [ -e /usr/share/applications/factmark.desktop ]; then
    echo "package: dpkg -r left files behind"; exit 1
fi
echo "package: removed again"
