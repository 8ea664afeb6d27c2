# nofault: web app and worker in one slim, non-root image.
#   podman build -t nofault .
#   podman run -p 8000:8000 -v nofault-data:/data -e NOFAULT_WORKER_STALE_SECONDS=0 nofault
# See compose.yaml for web, worker, PostgreSQL and Redis together, and docs/operations.md.
# BASE: any Debian-based image with Python 3.11 as `python` (scripts/container_smoke.sh makes
# one with debootstrap where no registry is reachable).
ARG BASE=python:3.11-slim

FROM ${BASE} AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN python -m venv /opt/nofault \
    && /opt/nofault/bin/pip install --no-cache-dir --upgrade pip \
    && /opt/nofault/bin/pip install --no-cache-dir '.[web,celery]'

FROM ${BASE}
# Pango and a font for PDFs (WeasyPrint); PostgreSQL's client for `nofault backup` (pg_dump).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin nofault \
    && mkdir /data && chown nofault /data
COPY --from=build /opt/nofault /opt/nofault
COPY docker/entrypoint.sh /usr/local/bin/nofault-entrypoint
ENV PATH=/opt/nofault/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    NOFAULT_DATA_DIR=/data \
    NOFAULT_ALLOWED_HOSTS=localhost,127.0.0.1
USER nofault
VOLUME /data
EXPOSE 8000
# Ready, not just alive: the database answers, migrations are applied, a worker beats.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os,urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"8000\")}/readyz', timeout=4)"
ENTRYPOINT ["nofault-entrypoint"]
CMD ["web"]
