"""Groups of CLI subcommands, each module adding its commands to the one typer app.

``cli.py`` holds the core commands (build, extract, evaluate, validate, query, viz);
the modules here hold larger groups so that each stays small and readable.
"""
