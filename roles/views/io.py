"""Export the draft, and import a file into it in two steps: upload → preview → confirm.

Nothing is written to the draft before the editor confirms a preview; the upload waits as
a ``PendingImport`` (``roles.io``). These pages are for the framework's editors and for HR
(who import and export, DESIGN.md section 6); everyone else gets 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from roles import io
from roles.formats import ImportFailed
from roles.formats.registry import document_counts
from roles.forms import FrameworkImportForm, ImportConfirmForm
from roles.models import FrameworkVersion, PendingImport
from roles.views.common import GET_POST, draft_io_view, draft_url, page_context, render_page


@draft_io_view
@require_safe
def draft_export(request: HttpRequest, draft: FrameworkVersion) -> HttpResponse:
    """The whole draft as ``?format=csv|json|xlsx|md|pdf``, named ``<slug>-draft.<ext>``."""
    try:
        file = io.version_export(version=draft, fmt=request.GET.get("format", ""))
    except ValueError:
        raise Http404("No such export format.") from None
    return io.attachment(file)


@draft_io_view
@GET_POST
def draft_import(request: HttpRequest, draft: FrameworkVersion) -> HttpResponse:
    """The upload form; a good file is kept as a pending import and its preview shown,
    a bad one is listed problem by problem (line, or sheet and cell)."""
    posted = request.method == "POST"
    form = FrameworkImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        action=request.path,
        max_bytes=settings.CAREERFRAME_MAX_IMPORT_BYTES,
    )
    problems: list[str] = []
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = io.pending_import_create(
                framework=draft.framework,
                user=request.user,
                filename=upload.name,
                data=upload.read(),
            )
        except ImportFailed as failed:
            problems = [error.render(upload.name) for error in failed.errors]
        else:
            url = draft_url(draft, "import-detail", token=pending.token)
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = page_context(
        request,
        draft,
        form=form,
        problems=problems,
        crumb_here=_("Import"),
        editor=request.draft_editor,
    )
    template = "roles/import_form.html#upload" if request.htmx else "roles/import_form.html"
    return render_page(request, template, context)


@draft_io_view
@require_safe
def import_detail(request: HttpRequest, draft: FrameworkVersion, token: str) -> HttpResponse:
    """The preview: what the file holds and what confirming would change in the draft."""
    pending = io.pending_import_get(framework=draft.framework, user=request.user, token=token)
    if pending is None:
        return _gone(request, draft)
    return _preview(request, draft, pending)


@draft_io_view
@require_POST
def import_confirm(request: HttpRequest, draft: FrameworkVersion, token: str) -> HttpResponse:
    """Replace the draft with the previewed file, unless the draft changed since (409)."""
    pending = io.pending_import_get(framework=draft.framework, user=request.user, token=token)
    if pending is None:
        return _gone(request, draft)
    form = ImportConfirmForm(request.POST, action=request.path)
    if not form.is_valid():
        refused = _("Confirm the import from its preview.")
        return _preview(request, draft, pending, refused=refused)
    try:
        io.pending_import_confirm(pending=pending, lock_version=form.cleaned_data["lock_version"])
    except PendingImport.DoesNotExist:
        return _gone(request, draft)
    except io.DraftChanged as changed:
        draft.refresh_from_db()
        return _preview(request, draft, pending, refused=str(changed))
    counts = document_counts(io.pending_document(pending))
    imported = _("Imported %(filename)s into the draft: %(summary)s.")
    summary = io.counts_summary(counts)
    messages.success(request, imported % {"filename": pending.filename, "summary": summary})
    return redirect(_after(request, draft))


@draft_io_view
@require_POST
def import_delete(request: HttpRequest, draft: FrameworkVersion, token: str) -> HttpResponse:
    """Cancel: forget the upload. The draft was never touched."""
    PendingImport.objects.filter(framework=draft.framework, user=request.user, token=token).delete()
    messages.info(request, _("Import cancelled; the draft is unchanged."))
    return redirect(_after(request, draft))


def _after(request: HttpRequest, draft: FrameworkVersion) -> str:
    """Editors go back to the draft; HR (who may not see the editor) to the upload form."""
    return draft_url(draft, "draft-detail" if request.draft_editor else "draft-import")


def _preview(
    request: HttpRequest, draft: FrameworkVersion, pending: PendingImport, refused: str = ""
) -> HttpResponse:
    preview = io.import_preview(pending=pending, draft=draft)
    action = draft_url(draft, "import-confirm", token=pending.token)
    form = ImportConfirmForm(initial={"lock_version": preview.lock_version}, action=action)
    context = page_context(
        request,
        draft,
        preview=preview,
        form=form,
        refused=refused,
        crumb_here=_("Import"),
        editor=request.draft_editor,
    )
    return render_page(request, "roles/import_detail.html", context, status=409 if refused else 200)


def _gone(request: HttpRequest, draft: FrameworkVersion) -> HttpResponse:
    messages.warning(
        request,
        _(
            "That import is no longer waiting: it was confirmed, cancelled or replaced by a "
            "newer upload, or it expired. Upload the file again to import it."
        ),
    )
    return redirect(draft_url(draft, "draft-import"))
