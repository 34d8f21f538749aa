#!/usr/bin/env bash
# Backs up Permits databases with pg_dump, one custom-format file per database, each with a .sha256 beside it.
#
#   deploy/ops/backup.sh SERVER_URL OUTPUT_DIR [DATABASE...]
#
# SERVER_URL is a libpq URI without a database, e.g. postgresql://postgres:secret@db.internal:5432 (or leave the
# password out and use ~/.pgpass or PGPASSWORD). The databases default to every service's: identity intake review
# certificate delivery disclosure. The dump is consistent per database (pg_dump reads one snapshot) while the
# services keep running. Files: OUTPUT_DIR/<database>-<UTC time>.dump. Restore one with deploy/ops/restore.sh.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi

server=${1%/}
output=$2
shift 2
databases=("$@")
if [[ ${#databases[@]} -eq 0 ]]; then
  databases=(identity intake review certificate delivery disclosure)
fi

mkdir -p "$output"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
for database in "${databases[@]}"; do
  file="$output/$database-$stamp.dump"
  # -Fc: compressed, restorable table by table; no owners or grants, so it restores under any role.
  pg_dump --format=custom --no-owner --no-privileges --file="$file.partial" --dbname="$server/$database"
  mv "$file.partial" "$file"
  (cd "$output" && sha256sum "$(basename "$file")" > "$(basename "$file").sha256")
  echo "$file"
done
