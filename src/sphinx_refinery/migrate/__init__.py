"""``sphinx-refinery migrate PATH``: move a sphinx-lesson lesson to sphinx-refinery.

It rewrites the lesson below PATH in place, with small textual edits that keep
every comment and the formatting of all the rest:

* ``conf.py``: ``sphinx_lesson`` (and its submodules) becomes one
  ``sphinx_refinery`` entry; extensions that sphinx-refinery sets up or replaces
  (``sphinx_tabs.tabs``, ``sphinx_togglebutton``, ``sphinx_copybutton``,
  ``sphinx_design``, ``myst_parser``) are dropped; ``sphinx_lesson_*`` settings
  are commented out.
* Python files that subclass sphinx-lesson's private ``_BaseCRDirective``
  import :class:`sphinx_refinery.compat.BoxDirective` instead.
* Requirement files (``requirements*.txt``, ``environment*.yml``,
  ``pyproject.toml``): ``sphinx-lesson`` becomes ``sphinx-refinery`` (with the
  ``notebooks`` extra when the lesson uses notebooks); ``sphinx-tabs`` and
  ``sphinx-togglebutton`` go.
* Markdown: Jekyll/kramdown boxes (``> ## Title`` ... ``{: .challenge}``) become
  MyST colon-fence directives; a line that is one raw ``<img>`` tag becomes an
  ``{image}`` directive. Nothing inside fenced code blocks changes.
* Timing tables (a ``csv-table`` of ``N min ; {doc}`page``` rows in the index or
  the instructor guide): each page gets ``teaching: N`` metadata.

Whatever it cannot rewrite safely it leaves alone and lists in its report, with
the file and line. ``--dry-run`` prints the changes as a diff and writes
nothing. In a git work tree it refuses (exit status 1) to touch files with
uncommitted changes, unless ``--force`` is given.

The package: :mod:`.rewrite` runs the rewriters (:mod:`.conf_file`,
:mod:`.python_files`, :mod:`.requirements`, :mod:`.markdown`,
:mod:`.timing_tables`), each a function of one file and the shared
:class:`~.context.Context`; :mod:`.files` reads and safely writes files,
:mod:`.git` tells uncommitted ones, :mod:`.report` and ``commands/migrate.py`` are the
command line.

May import: model, util, boxes, extensions.
"""
