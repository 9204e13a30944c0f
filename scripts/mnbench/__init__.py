"""mnbench's Python tools: reading run directories, summaries, plots,
comparisons, the host's conditions and the main job (scripts/run).

The executables in scripts/ (summarize, plot, compare, ...) are a few
lines each that import a module of this package and call its main().
"""
