"""The scripts' screens: the library (list, page, editor, files) and the runner."""
