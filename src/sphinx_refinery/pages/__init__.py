"""Pages as the lesson orders them: toctree order, the pages that gather others, whether a
write-time transform writes one page or many, and the lesson's metadata.

May import: model, util, locale.
"""
