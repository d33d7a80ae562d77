"""The CLI's one warnings rule, applied inside :func:`analysis.cli.main`'s
``catch_warnings`` once a command has checked its input (so a refusal imports no
scikit-learn: words31)."""

from __future__ import annotations

import warnings


def quiet_convergence() -> None:
    """Silence scikit-learn's ConvergenceWarning for the rest of the command (within
    :func:`analysis.cli.main`'s ``catch_warnings``): k-means on answers with many exact
    duplicates (or a stability sample of them) finds fewer distinct clusters than asked for;
    the themes are right, and a person running the command cannot act on the warning.
    Called once the input is checked, so a refusal imports no scikit-learn."""
    from sklearn.exceptions import ConvergenceWarning

    warnings.simplefilter("ignore", ConvergenceWarning)
