"""The one exception type a rule turns into a one-line message and a non-zero exit."""


class ScaleinvError(Exception):
    """Bad input the user can fix; the message names what was wrong and how to fix it."""
