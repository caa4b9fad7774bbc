"""Errors the governance package reports to people. Each names the file and the key or object at fault."""


class GovernanceError(Exception):
    """A problem the user can fix; the CLI prints it without a traceback and exits with code 2."""


class PolicyError(GovernanceError):
    """The governance policy (vars.governance in dbt_project.yml) is invalid."""


class ProjectError(GovernanceError):
    """The dbt project, its profile or its artifacts cannot be read."""
