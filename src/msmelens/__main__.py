"""`python -m msmelens` is the same as the `msmelens` command."""

from msmelens.cli.main import cli

if __name__ == "__main__":
    cli()
