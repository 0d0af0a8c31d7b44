# govsite's image: the web app, the Celery workers and beat (compose.yaml runs all three from it).
# Debian's python3 (3.11) and chromium (the engine renders script-built pages and takes
# screenshots with it through Playwright, whose driver needs libatomic1; the web app prints
# bulletins to PDF with it) and CJK fonts.
# BASE: any Debian bookworm image; without Docker Hub, one imported from a debootstrap
# rootfs (docs/deployment.md, "Without Docker Hub").
ARG BASE=debian:bookworm-slim
FROM ${BASE}

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 python3-venv ca-certificates chromium fonts-noto-cjk libatomic1 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/govsite/src
COPY pyproject.toml constraints.txt README.md ./
COPY src ./src
# PIP_INDEX_URL (a build argument) points pip at a mirror of the package index when PyPI is not
# reached directly; pip trusts the system's CA store (ca-certificates, plus any local CA the base carries)
ARG PIP_INDEX_URL=https://pypi.org/simple
RUN python3 -m venv /srv/govsite/venv \
 && /srv/govsite/venv/bin/pip install --no-cache-dir --cert /etc/ssl/certs/ca-certificates.crt \
      --index-url "$PIP_INDEX_URL" -c constraints.txt . \
 && rm -rf /srv/govsite/src/build

ENV PATH=/srv/govsite/venv/bin:$PATH \
    PYTHONUNBUFFERED=1
WORKDIR /srv/govsite
