extensions = ["sphinx_refinery"]
refinery_number_exercises = "episode"
