"""Who may do what: accounts, tokens, login sessions and the one access decision."""
