#!/usr/bin/env bash
# Restores one database from a dump made by deploy/ops/backup.sh into a NEW, empty database.
#
#   deploy/ops/restore.sh SERVER_URL DATABASE DUMP_FILE
#
# SERVER_URL as for backup.sh. DATABASE must not exist yet (the script creates it and refuses to overwrite one): restore
# beside the damaged database, check it, then point the service's connection string at it. The checksum beside the
# dump is checked first; the restore is one transaction, so a failed restore leaves an empty database, not half a
# one. For Disclosure, verify the chain afterwards (VerifyChain over gRPC, or the README's check): every record is
# hashed with the one before it, so a restore that lost or changed a record shows where.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi

server=${1%/}
database=$2
dump=$3

if [[ ! $database =~ ^[a-z_][a-z0-9_]*$ ]]; then
  echo "restore.sh: '$database' is not a plain lower-case database name" >&2
  exit 2
fi

if [[ -f $dump.sha256 ]]; then
  (cd "$(dirname "$dump")" && sha256sum --check --quiet "$(basename "$dump").sha256")
else
  echo "restore.sh: no $dump.sha256 beside the dump; restoring unchecked" >&2
fi

exists=$(psql --dbname="$server/postgres" --no-psqlrc --tuples-only --no-align \
  --command="SELECT 1 FROM pg_database WHERE datname = '$database'")
if [[ $exists == 1 ]]; then
  echo "restore.sh: database $database exists already; restore into a new name" >&2
  exit 1
fi

psql --dbname="$server/postgres" --no-psqlrc --quiet --command="CREATE DATABASE \"$database\""
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$server/$database" "$dump"
echo "restored $dump into $database"
