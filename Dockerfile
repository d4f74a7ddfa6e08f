FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    TUTOR_HOST=0.0.0.0 TUTOR_PORT=8000 TUTOR_DATABASE_URL=sqlite:////data/tutor.db
COPY pyproject.toml README.md alembic.ini ./
COPY tutor ./tutor
COPY prompts ./prompts
COPY migrations ./migrations
RUN pip install --no-cache-dir -e . && useradd --create-home tutor && mkdir /data && chown tutor /data
USER tutor
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["tutor", "serve"]
