# The production image: web (gunicorn), the Celery workers and beat all run from it
# (docker-compose.yml, docs/deploy.md).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=governance.settings.production \
    STATIC_ROOT=/srv/static MEDIA_ROOT=/srv/media
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --system --home /app governance \
 && mkdir -p /srv/static /srv/media \
 && SECRET_KEY=build DATABASE_URL=postgres://build/build REDIS_URL=redis://build:6379/0 \
    python manage.py collectstatic --noinput \
 && chown -R governance /app /srv/static /srv/media
USER governance
EXPOSE 8000 9808
CMD ["gunicorn", "governance.wsgi", "--config", "deploy/gunicorn.conf.py"]
