extensions = ["sphinx_lesson",
sphinx_lesson_transform_html_img = False
