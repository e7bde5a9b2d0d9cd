#!/bin/sh
# Restore a backup made by scripts/backup.sh into an EMPTY database and an empty media folder.
#
#   createdb -O atmp atmp_restored       # or let your provider make an empty database
#   DATABASE_URL=postgres://atmp:…@host:5432/atmp_restored MEDIA_ROOT=/app/media scripts/restore.sh DIR
#
# It checks the checksums first, refuses a database that already has tables, and restores in one
# transaction (all or nothing). Then run `python manage.py migrate` (a no-op for a backup of the
# same release) and start the portal. The restored database keeps the ledger's triggers.
set -eu

src="${1:?usage: restore.sh BACKUP_DIR}"
: "${DATABASE_URL:?set DATABASE_URL to the EMPTY database to restore into}"
MEDIA_ROOT="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/media}"

(cd "$src" && sha256sum --check --quiet SHA256SUMS)

tables=$(psql "$DATABASE_URL" --no-psqlrc --tuples-only --no-align --command \
  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore.sh: the database already has $tables tables; restore into an empty one." >&2
  exit 2
fi
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  echo "restore.sh: $MEDIA_ROOT is not empty; restore the files into an empty folder." >&2
  exit 2
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$src/database.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$src/media.tar.gz"
echo "restored $src into the database and $MEDIA_ROOT"
