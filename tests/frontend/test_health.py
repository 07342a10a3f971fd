from typing import Any

import pytest
from django.test import Client, override_settings


@pytest.mark.django_db
def test_healthz_reports_every_service_up_with_a_real_worker(
    celery_worker: Any, viewer: Any, client_for: Any
) -> None:
    response = client_for(viewer).get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {
        "ok": True,
        "detail": "postgresql",
        "ms": pytest.approx(0, abs=2000),
    }
    assert body["checks"]["redis"]["ok"] is True
    assert body["checks"]["celery"]["ok"] is True
    assert "worker(s)" in body["checks"]["celery"]["detail"]


@pytest.mark.django_db
def test_healthz_says_what_is_down(viewer: Any, client_for: Any) -> None:
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client_for(viewer).get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["checks"]["redis"]["ok"] is False
    assert "redis unreachable" in body["checks"]["redis"]["detail"]
    assert body["checks"]["celery"] == {
        "ok": False,
        "detail": "not checked: the broker (Redis) is down",
        "ms": 0.0,
    }


@pytest.mark.django_db
def test_healthz_accepts_a_bearer_token_for_monitoring() -> None:
    with override_settings(VMS_MONITORING_TOKEN="t0ken"):
        assert Client().get("/healthz", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
        response = Client().get("/healthz", HTTP_AUTHORIZATION="Bearer t0ken")
    assert response.status_code in (200, 503)
    assert set(response.json()["checks"]) == {"database", "redis", "celery"}


@pytest.mark.django_db
def test_the_status_strip_renders_for_signed_in_users(viewer: Any, client_for: Any) -> None:
    response = client_for(viewer).get("/status/")
    assert response.status_code == 200
    assert "Database" in response.content.decode()


@pytest.mark.django_db
def test_metrics_are_prometheus_text_for_monitoring(viewer: Any, client_for: Any) -> None:
    assert Client().get("/metrics").status_code == 401
    response = client_for(viewer).get("/metrics")
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert 'vms_devices{status="online"} 0' in response.content.decode()
    with override_settings(VMS_MONITORING_TOKEN="t0ken"):
        assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer t0ken").status_code == 200
