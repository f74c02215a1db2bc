"""``helpdesk-desktop COMMAND``: the help desk from a terminal.

How a command module plugs in (see :data:`helpdesk_desktop.cli.main.COMMAND_MODULES`):

* The module exposes ``register(subparsers)``. It adds its parser(s) with
  ``subparsers.add_parser(...)`` and sets the handler with
  ``parser.set_defaults(handler=my_handler)``.
* A handler is ``handler(args: argparse.Namespace, desk: Desk, out: TextIO) -> int``: ``desk``
  is the facade signed in as the acting user (``--as EMAIL``, default: the first super
  admin), ``out`` is where normal output goes, the return value is the exit status (0).
* A handler never prints errors itself: it raises a ``domain.errors.HelpDeskError``
  (``InvalidInput``/``NotFound`` -> exit 2, ``PermissionDenied`` -> 3, ``Conflict`` -> 4),
  and ``main`` prints ONE line ``error: <sentence>`` on stderr.
* A command that must run before any user exists (``init``, ``demo``) also sets
  ``set_defaults(needs_user=False)``; its ``desk`` is then not signed in (``actor_id`` 0) and
  it may only use the workspace calls (``desk.create_workspace``, ``desk.generate_demo``).
* ``--json`` output goes through :func:`helpdesk_desktop.cli.output.print_json`.
"""
