# An example with a deliberate syntax error, for learners to fix
def broken(:
    pass
