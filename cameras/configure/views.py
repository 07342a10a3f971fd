"""The Configure area of a camera (admins): profiles, one page per configuration, the
audit log. Views load the device, call cameras.configure.services, and render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cameras.configure import services
from cameras.configure.errors import ConfigError
from cameras.configure.forms import FORMS, LABELS, ProfileCreateForm
from cameras.models import ConfigurationChange, Device
from cameras.onvif.config_types import AnyConfig
from frontend.access import requires
from frontend.roles import CONFIGURE_CAMERAS

CREATE_KINDS = ("VideoSource", "VideoEncoder", "AudioSource", "AudioEncoder", "Metadata")


def render_page(
    request: HttpRequest, device: Device, template: str, **context: Any
) -> HttpResponse:
    context |= {
        "nav": "devices",
        "device": device,
        "kinds": [(k, LABELS[k]) for k in FORMS if k in services.supported_kinds(device)],
    }
    status = 400 if context.get("form") is not None and context["form"].errors else 200
    return render(request, f"configure/{template}", context, status=status)


def _kind(kind: str) -> str:
    if kind not in FORMS:
        raise Http404(f"No configuration type {kind!r}.")
    return kind


@requires(CONFIGURE_CAMERAS)
def profiles(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    problem, found, choices = "", [], {}
    try:
        found = services.read_profiles_of(device)
        kinds = [k for k in CREATE_KINDS if k in services.supported_kinds(device)]
        choices = services.read_choices(device, kinds)
    except ConfigError as exc:
        problem = exc.message
    form = ProfileCreateForm(choices, request.POST or None)
    if request.method == "POST" and not problem and form.is_valid():
        try:
            token = services.create_profile(
                device, request.user, form.cleaned_data["name"], form.configurations()
            )
        except ConfigError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Profile {form.cleaned_data['name']!r} created.")
            return redirect("configure_profile", pk=device.pk, token=token)
    return render_page(request, device, "profiles.html", profiles=found, form=form, problem=problem)


@requires(CONFIGURE_CAMERAS)
def profile(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    if request.method == "POST":
        done = _profile_action(request, device, token)
        if done == "deleted":
            return redirect("configure_profiles", pk=device.pk)
        return redirect("configure_profile", pk=device.pk, token=token)
    try:
        page = services.read_profile(device, token)
    except ConfigError as exc:
        if exc.status == 404:
            messages.error(request, exc.message)
            return redirect("configure_profiles", pk=device.pk)
        return render_page(request, device, "profile.html", problem=exc.message, token=token)
    rows = [
        {
            "kind": kind,
            "label": LABELS[kind],
            "held": page.profile.configurations.get(kind),
            "compatible": page.compatible.get(kind, []),
            "editable": kind in FORMS,
        }
        for kind in services.supported_kinds(device)
    ]
    return render_page(
        request,
        device,
        "profile.html",
        page=page,
        rows=rows,
        token=token,
        stored=device.profiles.filter(token=token).first(),  # as the last resync stored it
        ice_servers=settings.VMS_ICE_SERVERS,
    )


def _profile_action(request: HttpRequest, device: Device, token: str) -> str:
    action, user = request.POST.get("action", ""), request.user
    kind = request.POST.get("kind", "")
    try:
        if action == "rename":
            services.rename_profile(device, user, token, request.POST.get("name", ""))
            messages.success(request, "Profile renamed.")
        elif action == "delete":
            services.delete_profile(device, user, token)
            messages.success(request, "Profile deleted.")
            return "deleted"
        elif action == "add":
            chosen = request.POST.get("configuration", "")
            if not chosen:
                raise ConfigError(f"Choose a {LABELS.get(kind, kind)} configuration to add.")
            services.add_configuration(device, user, token, kind, chosen)
            messages.success(request, f"{LABELS.get(kind, kind)} configuration {chosen} set.")
        elif action == "remove":
            services.remove_configuration(device, user, token, kind)
            messages.success(request, f"{LABELS.get(kind, kind)} configuration removed.")
        elif action in ("multicast-start", "multicast-stop"):
            on = action == "multicast-start"
            services.set_multicast(device, user, token, on)
            messages.success(request, f"Multicast streaming {'started' if on else 'stopped'}.")
        elif action == "sync-point":
            services.set_synchronization_point(device, user, token)
            messages.success(request, "The camera was asked for a key frame on every stream.")
        else:
            messages.error(request, f"Unknown action {action!r}: nothing was changed.")
    except ConfigError as exc:
        messages.error(request, exc.message)
    return action


@requires(CONFIGURE_CAMERAS)
def configurations(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    problem, found = "", []
    try:
        found = services.read_configurations(device, _kind(kind))
    except ConfigError as exc:
        problem = exc.message
    return render_page(
        request,
        device,
        "configurations.html",
        kind=kind,
        label=LABELS[kind],
        configurations=found,
        problem=problem,
    )


@requires(CONFIGURE_CAMERAS)
def configuration(request: HttpRequest, pk: int, kind: str, token: str) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    try:
        page = services.read_configuration(device, _kind(kind), token)
    except ConfigError as exc:
        messages.error(request, exc.message)
        return redirect("configure_kind", pk=device.pk, kind=kind)
    form = FORMS[kind](page.config, page.options, request.POST or None)
    if request.method == "POST" and form.is_valid() and form.result is not None:
        try:
            saved = _save(device, request, form.result)
        except ConfigError as exc:
            for field, message in exc.fields.items():
                form.add_error(field if field in form.fields else None, message)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            messages.success(request, f"Saved; the camera now reports: {_summary(saved)}.")
            return redirect("configure_configuration", pk=device.pk, kind=kind, token=token)
    return render_page(
        request, device, "configuration.html", kind=kind, label=LABELS[kind], page=page, form=form
    )


def _save(device: Device, request: HttpRequest, config: AnyConfig) -> AnyConfig:
    return services.set_configuration(device, request.user, config)


def _summary(config: AnyConfig) -> str:
    """The camera's re-read values of an encoder, else the configuration's name."""
    width = getattr(config, "width", None)
    if not width:
        return config.name
    parts = [getattr(config, "encoding", ""), f"{width}x{getattr(config, 'height', '')}"]
    if (fps := getattr(config, "fps", None)) is not None:
        parts.append(f"{fps:g} fps")
    if (rate := getattr(config, "bitrate_kbps", None)) is not None:
        parts.append(f"{rate} kbit/s")
    if (gov := getattr(config, "gov_length", None)) is not None:
        parts.append(f"GOP {gov}")
    return ", ".join(p for p in parts if p)


@requires(CONFIGURE_CAMERAS)
@require_POST
def source_mode(request: HttpRequest, pk: int, source: str) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    back = request.POST.get("configuration", "")
    try:
        reboot = services.set_video_source_mode(
            device, request.user, source, request.POST.get("mode", "")
        )
    except ConfigError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            "Mode switched; the camera is rebooting to apply it and will be synced when it is back."
            if reboot
            else "Mode switched.",
        )
    if back:
        return redirect("configure_configuration", pk=device.pk, kind="VideoSource", token=back)
    return redirect("configure_kind", pk=device.pk, kind="VideoSource")


@requires(CONFIGURE_CAMERAS)
def changes(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    rows = ConfigurationChange.objects.filter(device=device).select_related("user")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render_page(request, device, "changes.html", changes=page)
