"""The /oai endpoint: GET or POST, responses streamed in chunks (ListRecords of 1,000 records never
builds one large string)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from qoima.access.oai.provider import OAIError, Provider, check_arguments
from qoima.access.oai.xmlout import attr, text, utc

CONTENT_TYPE = "text/xml; charset=utf-8"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">'
)


def _envelope(base_url: str, args: dict[str, str] | None, body: Iterator[str] | str) -> Iterator[str]:
    yield HEAD
    yield f"<responseDate>{utc(timezone.now())}</responseDate>"
    attrs = "".join(f' {k}="{attr(v)}"' for k, v in (args or {}).items())
    yield f"<request{attrs}>{text(base_url)}</request>"
    if isinstance(body, str):
        yield body
    else:
        yield from body
    yield "</OAI-PMH>\n"


def _error(base_url: str, args: dict[str, str] | None, err: OAIError) -> HttpResponse:
    if err.code in ("badVerb", "badArgument"):
        args = None  # the request element carries no attributes when the arguments are wrong
    body = f'<error code="{err.code}">{text(err)}</error>'
    return HttpResponse("".join(_envelope(base_url, args, body)), content_type=CONTENT_TYPE)


@csrf_exempt
def oai(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "POST", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    source = request.POST if request.method == "POST" else request.GET
    raw = {k: source.getlist(k) for k in source}
    base_url = request.build_absolute_uri(request.path)
    single = {k: v[0] for k, v in raw.items() if v}
    provider = Provider(base_url, lambda ref: request.build_absolute_uri("/records/" + quote(ref)))
    try:
        verb = check_arguments(raw)
        if verb == "Identify":
            body = provider.identify()
        elif verb == "ListMetadataFormats":
            body = provider.list_metadata_formats(single.get("identifier"))
        elif verb == "ListSets":
            body = provider.list_sets(single.get("resumptionToken"))
        elif verb == "GetRecord":
            body = provider.get_record(single["identifier"], single["metadataPrefix"])
        else:
            stream = provider.list(verb, single)
            resp = StreamingHttpResponse(_envelope(base_url, single, stream), content_type=CONTENT_TYPE)
            resp["Cache-Control"] = "no-cache"
            return resp
    except OAIError as e:
        return _error(base_url, single, e)
    resp = HttpResponse("".join(_envelope(base_url, single, body)), content_type=CONTENT_TYPE)
    resp["Cache-Control"] = "no-cache"
    return resp
