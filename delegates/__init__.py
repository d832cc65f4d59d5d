"""Delegates: transaction review, market analysis, routine watchers; their runtime."""


def load_builtin() -> None:
    """Import the built-in delegates so that they register with ``REGISTRY``."""
    import delegates.market.delegate  # noqa: F401
    import delegates.routine.approvals  # noqa: F401
    import delegates.routine.danger  # noqa: F401
    import delegates.routine.gas  # noqa: F401
    import delegates.routine.incoming  # noqa: F401
    import delegates.routine.phishing_lists  # noqa: F401
