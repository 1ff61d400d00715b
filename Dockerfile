FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    RECOGNITION_DATA_DIR=/data

WORKDIR /app
# The CPU build of torch first: the default wheel on PyPI carries CUDA and is several GB.
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY recognition_engine recognition_engine
COPY corpora corpora
COPY api api
COPY evaluation evaluation
COPY cli cli
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 1000 recognition \
    && mkdir -p /data && chown recognition /data

USER recognition
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["recognition-engine", "serve", "--host", "0.0.0.0", "--port", "8000"]
