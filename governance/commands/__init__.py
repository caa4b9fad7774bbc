"""CLI subcommands of `governance`, one module each."""
