SUBCOMMANDS: list = []
