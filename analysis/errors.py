"""The one exception the library raises for bad input; the CLI turns it into exit code 2."""


class InputError(ValueError):
    """Input that cannot be analysed, with a one-line reason fit to show a person."""
