from roles.keys import KEY_PATTERN


class KeyConverter:
    """URL converter for element keys (``product-design.senior``)."""

    regex = KEY_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
