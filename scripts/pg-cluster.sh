#!/bin/sh
# Throwaway PostgreSQL cluster for tests and benchmarks.
#
#   pg-cluster.sh start DIR   initdb in DIR/data, start a server listening only
#                             on a unix socket inside DIR (no TCP), create the
#                             database zhengqi_test, print its URL on stdout:
#                               postgresql:///zhengqi_test?host=DIR&port=N&user=U
#   pg-cluster.sh stop DIR    stop that server (pg_ctl stop -m fast), remove DIR
#
# PostgreSQL refuses to run as root, so as root the server binaries run as
# the `postgres` user (created by Debian's postgresql package) and DIR is
# owned by it; otherwise they run as the calling user. Durability is off
# (fsync=off): the data is meant to be thrown away. `start` on a DIR that
# already holds a cluster of ours stops and replaces it, so it can be run
# repeatedly; a DIR holding anything else is refused, never wiped.
set -eu

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
die() { echo "pg-cluster: $*" >&2; exit 1; }

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || usage
marker=.zq-pg-cluster

bindir=$(pg_config --bindir 2>/dev/null || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || die "initdb not found (apt-get install postgresql)"

if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (apt-get install postgresql)"
  pg_user=postgres
else
  pg_user=$(id -un)
fi

# Runs a server binary as the cluster owner, from a directory it can read.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Stops the cluster in $1 (if any) and removes $1 — only if it is ours.
destroy() {
  d=$1
  [ -e "$d" ] || return 0
  [ -f "$d/$marker" ] || die "$d was not made by pg-cluster.sh; not touching it"
  if [ -f "$d/data/postmaster.pid" ]; then
    as_pg "$bindir/pg_ctl" -D "$d/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$d"
}

case $cmd in
start)
  case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
  case $dir in
    *[!A-Za-z0-9_./-]*) die "DIR may hold only letters, digits and _ . / - (it goes into a URL)" ;;
  esac
  # a unix socket path is limited to 107 bytes: DIR/.s.PGSQL.NNNNN
  [ ${#dir} -le 90 ] || die "DIR path too long for a unix socket (max 90 characters)"
  if [ -e "$dir" ]; then
    if [ -f "$dir/$marker" ]; then
      destroy "$dir"
    elif [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
      die "$dir exists and is not empty"
    fi
  fi
  mkdir -p "$dir"
  : >"$dir/$marker"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  as_pg test -x "$dir" -a -w "$dir" || die "$dir is not reachable by user $pg_user (check the modes of its parents)"

  port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 ))
  as_pg "$bindir/initdb" -D "$dir/data" -U "$pg_user" -A trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  cat >>"$dir/data/postgresql.conf" <<EOF
# pg-cluster.sh: throwaway test cluster
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
log_min_messages = warning
EOF
  as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
    || { cat "$dir/server.log" >&2 2>/dev/null; die "server did not start"; }
  as_pg "$bindir/createdb" -h "$dir" -p "$port" -U "$pg_user" zhengqi_test \
    || die "createdb failed"
  echo "$port" >"$dir/port"
  echo "postgresql:///zhengqi_test?host=$dir&port=$port&user=$pg_user"
  ;;
stop)
  case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
  destroy "$dir"
  ;;
*) usage ;;
esac
