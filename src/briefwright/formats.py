"""The output formats, in a module of their own so that the command line can name them without
importing anything heavy."""

FORMATS = ("pdf", "docx", "html")
