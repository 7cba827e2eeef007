#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster, for the tests of the
# team server's PostgreSQL store:
#
#   scripts/with-postgres.sh make test-steps
#
# The cluster lives in a temporary folder, listens only on a Unix socket in
# that folder (no TCP port), trusts local connections, and is stopped and
# removed when the command ends, however it ends. The command finds it in
# TILLIT_TEST_POSTGRES (a connection URL), and TILLIT_TEST_POSTGRES_RESTART
# restarts it as after a crash. Without PostgreSQL's server
# programs (scripts/install-deps.sh test installs them) this says so and
# fails.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGUMENT ...]" >&2
  exit 2
fi

bin=""
for dir in /usr/lib/postgresql/*/bin; do
  [ -x "$dir/initdb" ] && bin=$dir
done
if [ -z "$bin" ]; then
  echo "PostgreSQL's server programs are missing: run scripts/install-deps.sh test" >&2
  exit 1
fi

cluster=$(mktemp -d "${TMPDIR:-/tmp}/tillit-pg.XXXXXX")
# PostgreSQL refuses to run as root: as root, the cluster belongs to the
# system's postgres user.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$cluster"
  chmod 755 "$cluster"
  as_owner=(runuser -u postgres --)
fi

stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop EXIT

"${as_owner[@]}" "$bin/initdb" -D "$cluster/data" -U postgres --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 >"$cluster/initdb.log" 2>&1 || {
  cat "$cluster/initdb.log" >&2
  exit 1
}
"${as_owner[@]}" "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
  -o "-c listen_addresses='' -k $cluster -c max_connections=200 -c fsync=on" start >/dev/null || {
  cat "$cluster/server.log" >&2
  exit 1
}

# Stops the cluster at once, as a crash would, and starts it again: it
# recovers from its write-ahead log (for the benchmarks' crash test).
cat >"$cluster/restart" <<EOF
#!/usr/bin/env bash
exec ${as_owner[*]} "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -m immediate -w -t 60 restart >/dev/null
EOF
chmod 755 "$cluster/restart"

export TILLIT_TEST_POSTGRES="postgres://postgres@localhost/postgres?host=$cluster"
export TILLIT_TEST_POSTGRES_RESTART="$cluster/restart"
echo "==> a throwaway PostgreSQL cluster on $cluster"
status=0
"$@" || status=$?
exit "$status"
