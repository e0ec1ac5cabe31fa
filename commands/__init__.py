"""The subcommands of ``compare.py``, one module each: arguments, the calls into the library, what is printed.

``compare.py`` builds the parser and dispatches; a module here adds its arguments to a (sub)parser and runs
its command, returning the exit code. These modules may print; no module of the library (scratch_net,
torch_ref, impl_check, parity_run) imports them.
"""
