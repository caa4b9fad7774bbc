"""The commands, in the order of the daily loop. Each module is a thin layer over a capability package."""

from governance.cli.commands.completion import completion_command
from governance.cli.commands.docs import docs_command
from governance.cli.commands.init import init_command
from governance.cli.commands.lineage import check_command, lineage_command, propagate_command
from governance.cli.commands.lint import lint_command
from governance.cli.commands.policy import policy_command
from governance.cli.commands.protected import protected_command
from governance.cli.commands.roles import roles_command
from governance.cli.commands.scan import scan_command

ALL = [init_command, policy_command, scan_command, propagate_command, check_command, lineage_command, protected_command,
       roles_command, docs_command, lint_command, completion_command]
