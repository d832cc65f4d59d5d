"""One module per group of subcommands. Each has ``register(subparsers)`` and imports its heavy
dependencies inside the handlers, so that ``warden --help`` and ``warden review`` start fast."""
