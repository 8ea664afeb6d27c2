#!/bin/sh
# nofault's container entrypoint: `web` (the default) serves, `worker` runs the task queue,
# anything else is a nofault command (`backup -o /data/backups/x.tar.gz`, `createadmin` …).
set -eu

: "${NOFAULT_DATA_DIR:=/data}"
export NOFAULT_DATA_DIR
# The data folder is a volume: it must be writable by the user the image runs as.
if ! [ -w "$NOFAULT_DATA_DIR" ]; then
    echo "nofault: the data folder $NOFAULT_DATA_DIR is not writable by uid $(id -u)" >&2
    exit 2
fi

role="${1:-web}"
[ "$#" -gt 0 ] && shift
case "$role" in
    web)
        # Migrations are applied here, once, before the processes start.
        exec nofault serve --host 0.0.0.0 --port "${PORT:-8000}" \
            --workers "${NOFAULT_WEB_WORKERS:-2}" --threads "${NOFAULT_WEB_THREADS:-4}" "$@"
        ;;
    worker)
        exec nofault worker "$@"
        ;;
    *)
        exec nofault "$role" "$@"
        ;;
esac
