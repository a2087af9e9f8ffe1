# The Hexahelix API and worker. Used by docker-compose.yml (services api, api-2, worker); CMD serves
# on HEXAHELIX_HOST:8000. /app/data (the data directory) is the volume the processes share.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

RUN groupadd --system --gid 10001 hexahelix \
    && useradd --system --uid 10001 --gid hexahelix --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin hexahelix

WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph/ graph/
COPY service/ service/
COPY seed/ seed/
RUN pip install --no-cache-dir . \
    && rm -rf build ./*.egg-info \
    && mkdir -p /app/data && chown hexahelix:hexahelix /app/data

USER hexahelix
EXPOSE 8000
CMD ["hexahelix", "serve"]
