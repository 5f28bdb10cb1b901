"""The app's URLs plus ``/bench/bare/``: the baseline of bench/load.py.

The bare view returns a fixed response: no database, no template. It still goes through the
whole middleware stack and the same gunicorn, so the ratio page/bare is what the page costs
on top of serving any Django response at all.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from careerframe.urls import urlpatterns as app_urlpatterns

BARE_BODY = b"<!doctype html><html><head><title>bare</title></head><body>ok</body></html>\n"


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE_BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *app_urlpatterns]
