#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster on a loopback port, then remove the cluster.
# Uses Debian's postgresql package, installing it when missing and running as root.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "The PostgreSQL run needs Debian's postgresql package: run 'sudo apt-get install postgresql'." >&2
    exit 1
  fi
fi

BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DIR=$(mktemp -d /tmp/signaalpunt-postgres.XXXXXX)
PORT=${SIGNAALPUNT_TEST_POSTGRES_PORT:-55433}

as_owner() {
  if [ "$(id -u)" = "0" ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

if [ "$(id -u)" = "0" ]; then chown postgres "$DIR"; fi
as_owner "$BIN/initdb -D $DIR/data -U signaalpunt --auth=trust" >/dev/null
# fsync off for tests, where speed matters and durability does not; benchmarks turn it on to measure durable writes.
FSYNC=${SIGNAALPUNT_TEST_POSTGRES_FSYNC:-off}
as_owner "$BIN/pg_ctl -D $DIR/data -w -l $DIR/log -o '-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=$FSYNC' start" >/dev/null
trap 'as_owner "$BIN/pg_ctl -D $DIR/data -m fast stop" >/dev/null; rm -rf "$DIR"' EXIT

export TEST_POSTGRES_URL="postgresql+psycopg://signaalpunt@127.0.0.1:$PORT/postgres"
# For `make faults`, which stops the server as a crash would and starts it again.
STOP="$BIN/pg_ctl -D $DIR/data -m immediate stop"
START="$BIN/pg_ctl -D $DIR/data -w -l $DIR/log -o '-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=$FSYNC' start"
if [ "$(id -u)" = "0" ]; then
  export SIGNAALPUNT_TEST_POSTGRES_STOP="su postgres -s /bin/sh -c \"$STOP\" >/dev/null"
  export SIGNAALPUNT_TEST_POSTGRES_START="su postgres -s /bin/sh -c \"$START\" >/dev/null"
else
  export SIGNAALPUNT_TEST_POSTGRES_STOP="$STOP >/dev/null" SIGNAALPUNT_TEST_POSTGRES_START="$START >/dev/null"
fi
"$@"
