#!/bin/sh
# Back up the portal: the PostgreSQL database (pg_dump custom format: tables, sequences, the
# ledger's append-only triggers and functions, the pg_trgm index) and the uploaded files.
#
#   DATABASE_URL=postgres://atmp:…@host:5432/atmp MEDIA_ROOT=/app/media scripts/backup.sh [DEST]
#
# DEST defaults to backups/<UTC time>. It gets database.dump, media.tar.gz and SHA256SUMS, and
# its path is printed. The dump is consistent (one snapshot); files uploaded while it runs may
# be in the tar without their row, never the other way round that matters (a row whose file is
# missing), because the tar is made after the dump. Needs pg_dump of the server's major version.
set -eu

: "${DATABASE_URL:?set DATABASE_URL=postgres://user:password@host:5432/dbname}"
MEDIA_ROOT="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/media}"
dest="${1:-backups/$(date -u +%Y%m%dT%H%M%SZ)}"

case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL must be a postgres:// URL (SQLite: copy db.sqlite3 and media/)." >&2; exit 2 ;;
esac

mkdir -p "$dest" "$MEDIA_ROOT"
pg_dump --format=custom --no-owner --no-privileges --file="$dest/database.dump" "$DATABASE_URL"
tar -C "$MEDIA_ROOT" -czf "$dest/media.tar.gz" .
(cd "$dest" && sha256sum database.dump media.tar.gz > SHA256SUMS)
echo "$dest"
