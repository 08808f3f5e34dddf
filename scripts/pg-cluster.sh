#!/bin/sh
# Throwaway PostgreSQL cluster for tests and benchmarks.
#   pg-cluster.sh start DIR   → initdb in DIR, start on a unix socket inside DIR,
#                               create database zhengqi_test, print its URL
#   pg-cluster.sh stop DIR    → stop the server and remove DIR
# PostgreSQL refuses to run as root, so as root the server runs as the
# `postgres` user. No TCP port is opened (listen_addresses='').
set -eu
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

bindir=$(pg_config --bindir 2>/dev/null || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
[ -x "$bindir/initdb" ] || { echo "pg-cluster: initdb not found (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_user=$( [ "$(id -u)" -eq 0 ] && echo postgres || id -un )

case $cmd in
start)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  # every parent must be traversable by the postgres user
  as_pg test -x "$dir" || { echo "pg-cluster: $dir not reachable by $pg_user" >&2; exit 1; }
  port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 ))
  as_pg "$bindir/initdb" -D "$dir/data" -U "$pg_user" -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  as_pg "$bindir/createdb" -h "$dir" -p "$port" -U "$pg_user" zhengqi_test
  echo "$port" >"$dir/port"
  echo "postgresql:///zhengqi_test?host=$dir&port=$port&user=$pg_user"
  ;;
stop)
  [ -d "$dir/data" ] && as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
