#!/usr/bin/env bash
# Installs exactly what is missing for building, running and testing photomap on Debian 12, and
# nothing else. Idempotent: a second run changes nothing and takes about a second.
#   scripts/setup.sh          native toolchain and libraries, plus the web UI's npm packages
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  cmake ninja-build g++ pkg-config make git ca-certificates
  libvips-dev libheif-dev libexiv2-dev libraw-dev libturbojpeg0-dev
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev
  libsqlite3-dev libopenblas-dev libeigen3-dev libhnswlib-dev libspectra-dev
  libcpp-httplib-dev nlohmann-json3-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libcli11-dev
  libb2-dev libssl-dev libcurl4-openssl-dev zlib1g-dev libdeflate-dev
  libre2-dev libutf8proc-dev libsentencepiece-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
# The web UI's build and browser tests (issue "Web UI") add node and chromium here when present.
if [ -f web/package.json ]; then
  APT_PACKAGES+=(chromium)
  command -v node >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} missing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

if [ -f web/package-lock.json ]; then
  stamp=web/node_modules/.photomap-lock-stamp
  if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
    echo "setup: npm ci in web/"
    (cd web && npm ci --no-audit --no-fund)
    cp web/package-lock.json "$stamp"
  else
    echo "setup: web/node_modules up to date"
  fi
fi
