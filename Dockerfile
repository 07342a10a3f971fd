# Production-like image of the VMS: one image, several processes (see compose.yaml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VMS_PRODUCTION=true \
    VMS_VAR_DIR=/var/lib/vms \
    VMS_STATIC_ROOT=/app/static

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Collecting static files imports the settings, which in production insist on real keys:
# throwaway values here, the real ones come from secrets at run time.
RUN VMS_SECRET_KEY=collectstatic VMS_CREDENTIALS_KEY=collectstatic \
    python manage.py collectstatic --noinput \
 && useradd --system --home /var/lib/vms vms \
 && mkdir -p /var/lib/vms && chown vms /var/lib/vms

USER vms
EXPOSE 8000
CMD ["uvicorn", "vms.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--lifespan", "off"]
