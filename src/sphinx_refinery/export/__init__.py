"""Export: write a sphinx-refinery lesson as a Carpentries Workbench lesson, with a report of
what the Workbench has no form for.

Modules, one job each:

* :mod:`.reading`: the lesson read with Sphinx, its doctrees kept while the export runs;
* :mod:`.plan`: which page goes where (episodes, learners, instructors) and what is left out;
* :mod:`.kinds`: box kinds as Workbench div kinds;
* :mod:`.inline` and :mod:`.blocks`: a page's doctree as pandoc Markdown;
* :mod:`.assets`: images and files copied where the Workbench looks for them;
* :mod:`.config_file`: ``config.yaml`` and the pages the Workbench expects;
* :mod:`.report`: what became what, and why;
* :mod:`.lesson`: all of it, written into a new folder whole.

May import: model, util, locale, pages, boxes, timing, workshops.
"""
