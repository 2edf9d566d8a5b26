"""The lesson checker: pages read without building them, rules and reports, for ``check`` and builds.

Modules, one concern each:

* :mod:`.lesson`: finding the lesson, reading conf.py, discovering and reading pages;
* :mod:`.markdown` and :mod:`.rst`: sources to :class:`~.model.Page` facts, read as
  :mod:`.options` says;
* :mod:`.known`: the directive names a lesson may use;
* :mod:`.rules`: the rules and their checks; :mod:`.legacy`: migrate's detection;
* :mod:`.selection`: which rules run; :mod:`.report`: output formats;
* :mod:`.build`: the ``sphinx-build`` integration (the command line is ``commands/check.py``).

May import: model, util, pages, boxes, extensions, migrate.
"""
