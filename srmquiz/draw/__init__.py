"""Drawing with matplotlib (imported inside the functions): layer stacks and charts.

Imports the core only; returns figures or PNG/SVG/PDF bytes and never writes a file.
"""
