"""The commands, one module each (imported on demand by governance.cli.main.COMMANDS): each is a thin
layer over a capability package."""
