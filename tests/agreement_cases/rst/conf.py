extensions = ["sphinx_refinery"]
refinery_number_exercises = "lesson"
sphinx_lesson_transform_html_img = False  # sphinx-lesson's, which sphinx-refinery replaces
