"""Device pages: list with live status, add, detail with sync progress, credentials."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cameras import mjpeg, services
from cameras.discovery import scan_results, start_scan
from cameras.forms import CredentialsForm, DeviceAddForm
from cameras.models import Device, MediaProfile
from cameras.onvif.discovery import TargetError, parse_targets
from cameras.streams import read_stats
from frontend.access import monitoring_allowed, public, requires
from frontend.roles import CONFIGURE_CAMERAS, VIEW_LIVE


@requires(VIEW_LIVE)
def device_list(request: HttpRequest) -> HttpResponse:
    devices = Device.objects.all()
    template = (
        "cameras/_device_rows.html"
        if request.headers.get("HX-Request")
        else "cameras/device_list.html"
    )
    return render(request, template, {"nav": "devices", "devices": devices})


@requires(CONFIGURE_CAMERAS)
def device_add(request: HttpRequest) -> HttpResponse:
    prefill = {k: request.GET[k] for k in ("host", "port", "name") if k in request.GET}
    form = DeviceAddForm(request.POST or None, initial=prefill)
    if request.method == "POST" and form.is_valid():
        device = services.add_device(**form.cleaned_data)
        messages.success(request, f"Adding {device.address}: reading the camera…")
        return redirect("device_detail", pk=device.pk)
    return render(request, "cameras/device_add.html", {"nav": "devices", "form": form})


@requires(VIEW_LIVE)
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    prefix = f"{device.pk}:"
    streams = {k.removeprefix(prefix): v for k, v in read_stats().items() if k.startswith(prefix)}
    context = {
        "nav": "devices",
        "device": device,
        "streams": streams,
        "profiles": device.profiles.all(),
        "sources": device.video_sources.all(),
        "nodes": device.ptz_nodes.prefetch_related("presets"),
    }
    if request.headers.get("HX-Request"):
        return render(request, "cameras/_device_state.html", context)
    return render(request, "cameras/device_detail.html", context)


@requires(CONFIGURE_CAMERAS)
def device_credentials(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    initial = {"username": device.username, "allow_plaintext": device.allow_plaintext}
    form = CredentialsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_credentials(device, **form.cleaned_data)
        messages.success(request, "Credentials saved: reading the camera again…")
        return redirect("device_detail", pk=device.pk)
    return render(
        request,
        "cameras/device_credentials.html",
        {"nav": "devices", "device": device, "form": form},
    )


@requires(CONFIGURE_CAMERAS)
@require_POST
def device_sync(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    services.request_sync(device)
    messages.success(request, f"Reading {device} again…")
    return redirect("device_detail", pk=device.pk)


@requires(CONFIGURE_CAMERAS)
@require_POST
def device_delete(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    name = str(device)
    device.delete()
    messages.success(request, f"{name} removed. The camera itself was not changed.")
    return redirect("devices")


@requires(CONFIGURE_CAMERAS)
@require_POST
def discovery_start(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("targets", "").strip()
    context: dict[str, object] = {"targets": text}
    try:
        targets = parse_targets(text)
    except TargetError as exc:
        context["error"] = str(exc)
    else:
        context["scan_id"] = start_scan(targets, multicast=settings.VMS_DISCOVERY_MULTICAST)
        context["state"] = "running"
    return render(request, "cameras/_discovery.html", context)


@requires(CONFIGURE_CAMERAS)
def discovery_results(request: HttpRequest, scan_id: str) -> HttpResponse:
    result = scan_results(scan_id)
    if result is None:
        raise Http404("This scan has expired: scan again.")
    return render(request, "cameras/_discovery.html", {"scan_id": scan_id, **result})


@public
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics; for signed-in users or the monitoring bearer token."""
    from cameras.metrics import render as render_metrics

    if not monitoring_allowed(request):
        return JsonResponse(
            {"error": "Sign in, or send 'Authorization: Bearer <VMS_MONITORING_TOKEN>'."},
            status=401,
        )
    return HttpResponse(render_metrics(), content_type="text/plain; version=0.0.4; charset=utf-8")


@requires(VIEW_LIVE)
async def device_mjpeg(request: HttpRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    """Live snapshots as MJPEG, for browsers where WebRTC cannot connect."""
    profiles = (
        MediaProfile.objects.select_related("device").filter(device_id=pk).exclude(snapshot_uri="")
    )
    if token := request.GET.get("profile"):
        profiles = profiles.filter(token=token)
    profile = await profiles.order_by("position").afirst()
    if profile is None:
        raise Http404("This camera has no snapshot address: it cannot be shown as MJPEG.")
    device = profile.device
    shots = mjpeg.snapshots(profile.snapshot_uri, device.username, device.password)
    first = await anext(shots, mjpeg.Problem(mjpeg.FAILING))
    if isinstance(first, mjpeg.Problem):  # said at once, as a plain HTTP error
        await shots.aclose()
        return HttpResponse(first.message, status=502, content_type="text/plain; charset=utf-8")
    return StreamingHttpResponse(
        mjpeg.multipart(first, shots),
        content_type=f"multipart/x-mixed-replace; boundary={mjpeg.BOUNDARY}",
    )
