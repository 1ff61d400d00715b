#!/usr/bin/env bash
# Start a local PostgreSQL 15 for the API tests, idempotently, and print its URL last:
#   export RECOGNITION_TEST_POSTGRES_URL="$(.ci/postgres.sh | tail -n 1)"
#   pytest -m postgres tests/api
# Installs PostgreSQL 15 with apt-get when it is missing, creates the cluster 15/main if needed,
# starts it on 127.0.0.1, and creates a user and a database for the tests. Messages go to stderr.
set -euo pipefail

VERSION=15
CLUSTER=main
DB_USER="${RECOGNITION_PG_USER:-recognition}"
DB_PASSWORD="${RECOGNITION_PG_PASSWORD:-recognition}"
DB_NAME="${RECOGNITION_PG_DATABASE:-recognition_test}"

say() { echo "postgres.sh: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

if ! command -v pg_ctlcluster >/dev/null || [ ! -x "/usr/lib/postgresql/$VERSION/bin/postgres" ]; then
  say "installing PostgreSQL $VERSION"
  as_root apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "postgresql-$VERSION" >&2
fi

if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$VERSION/$CLUSTER"; then
  say "creating cluster $VERSION/$CLUSTER"
  as_root pg_createcluster "$VERSION" "$CLUSTER" >&2
fi

status="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}')"
if [ "$status" != "online" ]; then
  say "starting cluster $VERSION/$CLUSTER"
  as_root pg_ctlcluster "$VERSION" "$CLUSTER" start -o "-c listen_addresses=127.0.0.1" >&2
fi
PORT="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $3}')"

for _ in $(seq 1 30); do
  if as_postgres pg_isready -q -h 127.0.0.1 -p "$PORT"; then break; fi
  sleep 1
done
as_postgres pg_isready -h 127.0.0.1 -p "$PORT" >&2

psql_admin() { as_postgres psql -v ON_ERROR_STOP=1 -q -p "$PORT" -d postgres "$@"; }

psql_admin <<SQL >&2
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE "$DB_USER" LOGIN PASSWORD '$DB_PASSWORD';
  ELSE
    ALTER ROLE "$DB_USER" LOGIN PASSWORD '$DB_PASSWORD';
  END IF;
END
\$\$;
SQL
if [ -z "$(psql_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
  say "creating database $DB_NAME"
  as_postgres createdb -p "$PORT" -O "$DB_USER" "$DB_NAME"
fi

echo "postgresql+psycopg://$DB_USER:$DB_PASSWORD@127.0.0.1:$PORT/$DB_NAME"
