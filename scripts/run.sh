#!/bin/sh
# `make run`: migrate the database, seed the demo data once, then serve the
# API and the built web UI in development mode. Expects build/zhengqi and
# web/dist (make run builds both first).
#   ZQ_LISTEN  address:port to listen on   (default 127.0.0.1:8080)
#   ZQ_DB      database URL                (default sqlite:var/zhengqi.db)
#   ZQ_WEB     built web UI directory      (default web/dist)
set -eu
cd "$(dirname "$0")/.."

listen=${ZQ_LISTEN:-127.0.0.1:8080}
db=${ZQ_DB:-sqlite:var/zhengqi.db}
web=${ZQ_WEB:-web/dist}
bin=build/zhengqi

[ -x "$bin" ] || { echo "run: $bin missing: run 'make run' (or 'make all')" >&2; exit 1; }
[ -f "$web/index.html" ] || { echo "run: $web/index.html missing: run 'make web'" >&2; exit 1; }
mkdir -p var

# Seed the demo data once per database: the stamp lists the URLs seeded, so
# switching ZQ_DB seeds the new one, and a deleted SQLite file is reseeded.
stamp=var/.demo-seeded
fresh=0
case $db in
  sqlite:*) f=${db#sqlite:}; f=${f#//}; [ -e "$f" ] || fresh=1 ;;
esac

"$bin" migrate --db "$db"

if [ "$fresh" = 1 ] || ! grep -qxF "$db" "$stamp" 2>/dev/null; then
  "$bin" seed-demo --db "$db"
  grep -qxF "$db" "$stamp" 2>/dev/null || echo "$db" >>"$stamp"
fi

host=${listen%:*}
port=${listen##*:}
case $host in ''|0.0.0.0|'[::]') host=127.0.0.1 ;; esac
echo
echo "zhengqi: http://$host:$port/   (database $db)"
if [ -f var/demo-logins.txt ]; then
  echo "demo logins:"
  sed 's/^/  /' var/demo-logins.txt
fi
echo "Ctrl-C stops it."
echo

exec "$bin" serve --listen "$listen" --db "$db" --web "$web" --dev
