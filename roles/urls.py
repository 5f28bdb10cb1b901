"""The draft editor, mounted at ``frameworks/<slug>/draft/``."""

from django.urls import path
from django.urls.resolvers import URLPattern

from roles import views

app_name = "roles"


def element_patterns(plural: str, kind: str, *, create: bool = True, move: bool = False):
    """``<plural>/new/``, ``<plural>/<key>/edit/``, ``…/delete/`` (and ``…/move/``) of one
    kind of element, named ``<kind>-create``, ``<kind>-edit``…"""
    name = kind.replace("_", "-")
    kind_arg = {"kind": kind}
    patterns: list[URLPattern] = []
    if create:
        patterns.append(path(f"{plural}/new/", views.element_create, kind_arg, f"{name}-create"))
    patterns += [
        path(f"{plural}/<key:key>/edit/", views.element_edit, kind_arg, f"{name}-edit"),
        path(f"{plural}/<key:key>/delete/", views.element_delete, kind_arg, f"{name}-delete"),
    ]
    if move:
        patterns.append(
            path(f"{plural}/<key:key>/move/", views.element_move, kind_arg, f"{name}-move")
        )
    return patterns


position_create = {"kind": "position"}
sub_role_create = {"kind": "sub_role"}

urlpatterns = [
    path("", views.draft_detail, name="draft-detail"),
    path("preview/", views.markdown_preview, name="markdown-preview"),
    # The whole draft as a file, and a file into the draft: upload, preview, confirm.
    path("export/", views.draft_export, name="draft-export"),
    path("import/", views.draft_import, name="draft-import"),
    path("import/<slug:token>/", views.import_detail, name="import-detail"),
    path("import/<slug:token>/confirm/", views.import_confirm, name="import-confirm"),
    path("import/<slug:token>/delete/", views.import_delete, name="import-delete"),
    # The draft's structure: full-page forms.
    *element_patterns("tracks", "track", move=True),
    *element_patterns("roles", "role", move=True),
    *element_patterns("sub-roles", "sub_role", create=False, move=True),
    *element_patterns("levels", "level"),
    *element_patterns("competencies", "competency", move=True),
    path("categories/edit/", views.category_edit, name="category-edit"),
    path("path-steps/", views.path_step_list, name="path-step-list"),
    *element_patterns("path-steps", "path_step"),
    path(
        "roles/<key:role>/sub-roles/new/",
        views.element_create,
        sub_role_create,
        name="sub-role-create",
    ),
    # A role's matrix, and statements edited in its cells.
    path("roles/<key:key>/matrix/", views.role_matrix, name="role-matrix"),
    path("cells/<key:position>/<key:competency>/", views.cell_detail, name="cell-detail"),
    path("expectations/new/", views.expectation_create, name="expectation-create"),
    path("expectations/<key:key>/", views.expectation_detail, name="expectation-detail"),
    path("expectations/<key:key>/edit/", views.expectation_edit, name="expectation-edit"),
    path("expectations/<key:key>/delete/", views.expectation_delete, name="expectation-delete"),
    path("expectations/<key:key>/move/", views.expectation_move, name="expectation-move"),
    # Positions, and the promotion criteria edited on a position's page.
    path(
        "roles/<key:role>/positions/new/",
        views.element_create,
        position_create,
        name="position-create",
    ),
    path("positions/<key:key>/", views.position_detail, name="position-detail"),
    path("positions/<key:key>/edit/", views.position_edit, name="position-edit"),
    path(
        "positions/<key:key>/delete/",
        views.element_delete,
        position_create,
        name="position-delete",
    ),
    path("positions/<key:position>/criteria/", views.criterion_list, name="criterion-list"),
    path(
        "positions/<key:position>/criteria/new/",
        views.criterion_create,
        name="criterion-create",
    ),
    path("criteria/<key:key>/", views.criterion_detail, name="criterion-detail"),
    path("criteria/<key:key>/edit/", views.criterion_edit, name="criterion-edit"),
    path("criteria/<key:key>/delete/", views.criterion_delete, name="criterion-delete"),
    path("criteria/<key:key>/move/", views.criterion_move, name="criterion-move"),
]
