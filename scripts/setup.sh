#!/bin/sh
# Installs what zhengqi needs to build, run, test, bench and fuzz: Debian
# packages (only the missing ones, one `apt-get update` first) and the web
# UI's npm packages (only when web/package-lock.json changed). Idempotent,
# silent and fast when everything is already there.
set -eu
cd "$(dirname "$0")/.."

PKGS="build-essential pkg-config clang libclang-rt-14-dev
libmicrohttpd-dev libjansson-dev libsodium-dev libsqlite3-dev sqlite3
libpq-dev postgresql libcmocka-dev libqrencode-dev libxlsxwriter-dev
libzip-dev zlib1g-dev libmagic-dev libzxcvbn-dev libxml2-dev chromium nginx wrk curl unzip ca-certificates"

# Node.js: keep whatever node + npm the machine has (here a newer one than
# Debian's, bundling npm 11); Debian's own only when there is none.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PKGS="$PKGS nodejs npm"
fi

missing=
for p in $PKGS; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case $st in
    *" ok installed") ;;
    *) missing="$missing $p" ;;
  esac
done

if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages:$missing" >&2
    echo "setup: run as root, or: sudo apt-get install --no-install-recommends$missing" >&2
    exit 1
  fi
  log=$(mktemp)
  echo "setup: installing$missing" >&2
  if ! { apt-get update &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
       } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "setup: apt-get failed (full log: $log)" >&2
    exit 1
  fi
  rm -f "$log"
fi

# Web UI dependencies. The stamp is written after a successful install, so
# an interrupted `npm ci` is redone next time.
if [ -f web/package.json ]; then
  stamp=web/node_modules/.zq-installed
  if [ ! -f "$stamp" ] || { [ -f web/package-lock.json ] && [ web/package-lock.json -nt "$stamp" ]; } \
     || [ web/package.json -nt "$stamp" ]; then
    if [ -f web/package-lock.json ]; then cmd=ci; else cmd=install; fi
    log=$(mktemp)
    echo "setup: npm $cmd in web/" >&2
    if ! (cd web && npm "$cmd" --no-audit --no-fund --loglevel=error) >"$log" 2>&1; then
      tail -n 40 "$log" >&2
      echo "setup: npm $cmd failed in web/ (full log: $log)" >&2
      exit 1
    fi
    rm -f "$log"
    touch "$stamp"
  fi
fi
