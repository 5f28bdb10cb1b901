"""Promotion assessments (DESIGN.md section 5): a lead rates a person against the promotion
criteria of a target position, pinned to a published version; HR decides."""
