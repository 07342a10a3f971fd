"""The sign-in page, throttled: repeated failures lock the username or address for a while."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse

from frontend import throttle
from frontend.access import public


class LoginView(auth_views.LoginView):
    template_name = "frontend/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = throttle.locked_for(self._username(), self._address())
        if wait:
            return self._locked(self.get_form(), wait)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        throttle.succeeded(self._username(), self._address())
        return super().form_valid(form)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        if self._username() and self.request.POST.get("password"):  # a guess, not a blank field
            wait = throttle.failed(self._username(), self._address())
            if wait:
                return self._locked(form, wait)
        return super().form_invalid(form)

    def _locked(self, form: AuthenticationForm, wait: int) -> HttpResponse:
        message = f"Too many failed sign-ins; try again in {throttle.minutes(wait)}."
        context = self.get_context_data(form=form, locked=message)
        return self.render_to_response(context, status=429)

    def _username(self) -> str:
        return str(self.request.POST.get("username", "")).strip()

    def _address(self) -> str:
        return str(self.request.META.get("REMOTE_ADDR") or "unknown")


login = public(LoginView.as_view())
