"""What a reader sees gathered or switched: the exercise list, the instructor guide and the
key points, and the learner and instructor views.

May import: model, util, locale, pages, boxes.
"""
