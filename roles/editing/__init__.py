"""Writes to a framework's draft, one element at a time (STYLE.md section 2).

Every write locks the draft row first, so writes to one draft are serialised: keys are
allocated without races and ``lock_version`` counts every change. A successful write bumps
``lock_version`` and clears ``document_sha256`` (the reviews app hashes the rows when it
needs to).

Optimistic locking per element: an edit form carries the ``fingerprint`` of the element as
the editor saw it; updating or deleting an element whose fingerprint has changed meanwhile
raises ``ConflictError`` with the element's current state, and nothing is written.

The services live by concern: ``structure`` (tracks, roles, specialisms, levels, positions,
path steps), ``competencies`` (competencies and categories), ``statements`` and
``criteria``; ``common`` holds the labels, fingerprints, errors and shared steps. Callers
import everything from ``roles.editing``.
"""

from roles.editing.common import (
    EDITABLE_FIELDS,
    LABELS,
    MOVE_SCOPES,
    ConflictError,
    Direction,
    E,
    ElementDeletedError,
    display_value,
    element_label,
    element_name,
    fingerprint,
)
from roles.editing.competencies import (
    category_rename,
    competency_create,
    competency_delete,
    competency_move,
    competency_update,
)
from roles.editing.criteria import (
    criterion_create,
    criterion_delete,
    criterion_move,
    criterion_update,
)
from roles.editing.statements import (
    expectation_create,
    expectation_delete,
    expectation_move,
    expectation_update,
)
from roles.editing.structure import (
    level_create,
    level_delete,
    level_update,
    path_step_create,
    path_step_delete,
    path_step_update,
    position_create,
    position_delete,
    position_update,
    role_create,
    role_delete,
    role_move,
    role_update,
    sub_role_create,
    sub_role_delete,
    sub_role_move,
    sub_role_update,
    track_create,
    track_delete,
    track_move,
    track_update,
)

__all__ = [
    "EDITABLE_FIELDS",
    "LABELS",
    "MOVE_SCOPES",
    "ConflictError",
    "Direction",
    "E",
    "ElementDeletedError",
    "category_rename",
    "competency_create",
    "competency_delete",
    "competency_move",
    "competency_update",
    "criterion_create",
    "criterion_delete",
    "criterion_move",
    "criterion_update",
    "display_value",
    "element_label",
    "element_name",
    "expectation_create",
    "expectation_delete",
    "expectation_move",
    "expectation_update",
    "fingerprint",
    "level_create",
    "level_delete",
    "level_update",
    "path_step_create",
    "path_step_delete",
    "path_step_update",
    "position_create",
    "position_delete",
    "position_update",
    "role_create",
    "role_delete",
    "role_move",
    "role_update",
    "sub_role_create",
    "sub_role_delete",
    "sub_role_move",
    "sub_role_update",
    "track_create",
    "track_delete",
    "track_move",
    "track_update",
]
