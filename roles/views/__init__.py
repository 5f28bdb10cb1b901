"""The draft editor: a framework's editors change its draft (DESIGN.md sections 1 and 3).

Only the framework's editors and superusers see these pages; for everyone else every URL
is 404, whatever the method. Every page works without JavaScript (forms post, then
redirect back to ``next``). With htmx, statements, criteria and a position's title are
edited in place: the view renders only the fragment, and answers 409 with the form and
the other person's change when the element changed meanwhile (``roles.editing``).

The views live by concern: ``pages`` (overview, matrix, position editor, path steps,
preview), ``elements`` (full-page forms of the simple elements), ``statements`` (a cell's
statements), ``criteria`` (a position's title and its promotion criteria), ``io`` (export
the draft; import a file into it, previewed first); ``common`` holds the access decorator
and the plumbing they share. ``roles.urls`` imports the views from here.
"""

from roles.views.common import (
    FIELD_LABELS,
    GET_POST,
    Conflict,
    ConflictRow,
    View,
    draft_view,
)
from roles.views.criteria import (
    criterion_create,
    criterion_delete,
    criterion_detail,
    criterion_edit,
    criterion_list,
    criterion_move,
    position_edit,
)
from roles.views.elements import (
    ELEMENT_KINDS,
    PRESETS,
    ElementKind,
    category_edit,
    element_create,
    element_delete,
    element_edit,
    element_move,
)
from roles.views.io import (
    draft_export,
    draft_import,
    import_confirm,
    import_delete,
    import_detail,
)
from roles.views.pages import (
    draft_detail,
    markdown_preview,
    path_step_list,
    position_detail,
    role_matrix,
)
from roles.views.statements import (
    cell_detail,
    expectation_create,
    expectation_delete,
    expectation_detail,
    expectation_edit,
    expectation_move,
)

__all__ = [
    "ELEMENT_KINDS",
    "FIELD_LABELS",
    "GET_POST",
    "PRESETS",
    "Conflict",
    "ConflictRow",
    "ElementKind",
    "View",
    "category_edit",
    "cell_detail",
    "criterion_create",
    "criterion_delete",
    "criterion_detail",
    "criterion_edit",
    "criterion_list",
    "criterion_move",
    "draft_detail",
    "draft_export",
    "draft_import",
    "draft_view",
    "element_create",
    "element_delete",
    "element_edit",
    "element_move",
    "expectation_create",
    "expectation_delete",
    "expectation_detail",
    "expectation_edit",
    "expectation_move",
    "import_confirm",
    "import_delete",
    "import_detail",
    "markdown_preview",
    "path_step_list",
    "position_detail",
    "position_edit",
    "role_matrix",
]
