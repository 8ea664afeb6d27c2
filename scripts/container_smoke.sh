#!/bin/sh
# Build nofault's image with podman and smoke-test it, on a machine that reaches no container
# registry: the base is Debian bookworm made by debootstrap (Python 3.11 as `python`, what
# python:3.11-slim holds) and imported as localhost/nofault-base:bookworm. pip inside the build
# reads this machine's pip configuration and local package folders (mounted read-only).
# The smoke test: the image runs as uid 10001, `web` answers /readyz with 200 on SQLite in a
# volume, its health check passes, and `worker --burst` runs against the same volume.
#
#   sudo scripts/container_smoke.sh        (needs podman, runc and debootstrap: Debian packages)
set -eu
# shellcheck disable=SC2086 # $PODMAN, $LIMITS and $mounts are several words on purpose

cd "$(dirname "$0")/.."
BASE=localhost/nofault-base:bookworm
IMAGE=localhost/nofault:smoke
PORT=${SMOKE_PORT:-18765}
VOLUME=nofault-smoke-$$
# Where podman runs inside another container, crun cannot set the default limits nor use the
# hybrid cgroups: runc with explicit limits can.
PODMAN="podman --runtime runc"
LIMITS="--ulimit nofile=1024:1024 --ulimit nproc=4096:4096"

if ! podman image exists "$BASE"; then
    rootfs=$(mktemp -d /tmp/nofault-rootfs.XXXXXX)
    debootstrap --variant=minbase --include=python3,python3-venv,python-is-python3,ca-certificates \
        bookworm "$rootfs" http://deb.debian.org/debian
    tar -C "$rootfs" -c . | podman import --change 'CMD ["python"]' - "$BASE"
    rm -rf "$rootfs"
fi

mounts=""
# This machine's package sources and the certificate authorities its HTTPS proxy needs.
for path in /etc/pip.conf /etc/xdg/pip "$HOME/.config/pip" /opt/wheels /opt/pypi /opt/pypi-more \
    /etc/ssl/certs/ca-certificates.crt; do
    [ -e "$path" ] && mounts="$mounts -v $path:$path:ro"
done
# What is committed is built, not the work tree's edits in progress.
context=$(mktemp -d /tmp/nofault-context.XXXXXX)
git archive HEAD | tar -x -C "$context"
# The docker format keeps the HEALTHCHECK (the OCI format has none).
$PODMAN build $LIMITS --format docker --network host --build-arg BASE="$BASE" $mounts \
    -t "$IMAGE" "$context"
rm -rf "$context"

cleanup() {
    $PODMAN rm -f nofault-smoke >/dev/null 2>&1 || true
    podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true
}
trap cleanup EXIT

$PODMAN run $LIMITS -d --name nofault-smoke --network host -v "$VOLUME:/data" \
    -e PORT="$PORT" -e NOFAULT_WORKER_STALE_SECONDS=0 "$IMAGE" web
uid=$($PODMAN exec nofault-smoke id -u)
[ "$uid" = 10001 ] || { echo "the image runs as uid $uid, not 10001" >&2; exit 1; }
tries=0
until status=$(python3 -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:$PORT/readyz', timeout=2).status)" 2>/dev/null); do
    tries=$((tries + 1))
    if [ "$tries" -gt 120 ]; then
        podman logs nofault-smoke >&2
        echo "/readyz did not answer 200 in 120 s" >&2
        exit 1
    fi
    sleep 1
done
echo "web: /readyz answered $status as uid $uid"
$PODMAN healthcheck run nofault-smoke
echo "health check: healthy"
$PODMAN run $LIMITS --rm --network host -v "$VOLUME:/data" "$IMAGE" worker --burst
echo "worker --burst: ran against the same volume"
podman image inspect "$IMAGE" --format 'image size: {{.Size}} bytes, user {{.Config.User}}'
