"""The lesson model: box kinds, episodes, minutes, schedules and the records the build keeps;
plain Python with no Sphinx in it, so that the build, ``check``, ``migrate`` and workshops share
each rule.

May import: nothing.
"""
