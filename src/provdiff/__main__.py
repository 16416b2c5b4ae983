"""``python -m provdiff``: the command line, as git's diff driver calls it (see ``provdiff git-setup``)."""

from provdiff.entry import main

main()
