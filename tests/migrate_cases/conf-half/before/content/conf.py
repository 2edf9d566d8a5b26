extensions = ['sphinx_refinery', 'sphinx_lesson', "sphinx_tabs.tabs"]
extensions.append('sphinx_lesson.md_transforms')
