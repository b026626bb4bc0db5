# The app on a slim Python, as a non-root user, with the same pinned requirements as `make run`.
# Build: docker build -t innovation-readiness .    Run: docker compose up (app + PostgreSQL; see compose.yaml)
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ASSESSMENT_DATA_DIR=/var/lib/assessment

# Fonts for the PDF report: the chain in assessment/report/fonts.py (FONT_PACKAGES, the same list as .ci/run;
# tests/test_fonts.py compares them): CJK, the Indic scripts, Thai, symbols and emoji beside the vendored DejaVu.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core=2.37-6 fonts-noto-cjk=1:20220127+repack1-1 \
       fonts-noto-core=20201225-1 fonts-noto-color-emoji=2.042-0+deb12u1 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The Makefile's steps: the pinned requirements first (a cached layer), then the package itself.
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY pyproject.toml setup.py MANIFEST.in README.md LICENSE CHANGELOG.md questions.yaml ./
# Only the app's Streamlit config: never .streamlit/secrets.toml (sign-in secrets; .dockerignore leaves it out too).
COPY .streamlit/config.toml ./.streamlit/config.toml
COPY assessment ./assessment
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --home-dir /var/lib/assessment --create-home assessment

USER 10001
WORKDIR /var/lib/assessment
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]
# The same start command CI runs as a plain process (.ci/install-check).
CMD ["assessment", "serve", "--server.port", "8501", "--server.address", "0.0.0.0", "--server.headless", "true"]
