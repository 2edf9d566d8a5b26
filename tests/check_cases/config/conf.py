extensions = ["sphinx_refinery"]

refinery_check_ignore = ["image-alt", "imag-alt"]
