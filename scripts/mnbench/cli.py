"""Command lines: argparse, with an unknown option named before a missing
argument (a typo is the likelier mistake)."""


def parse(ap, argv, required=()):
    """ap.parse_args(argv), where REQUIRED names (dest, METAVAR) of
    positionals declared nargs="?" that must be given."""
    args, extra = ap.parse_known_args(argv)
    if extra:
        ap.error("unrecognized arguments: " + " ".join(extra))
    missing = [meta for dest, meta in required if getattr(args, dest) is None]
    if missing:
        ap.error("the following arguments are required: " + ", ".join(missing))
    return args
