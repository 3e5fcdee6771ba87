"""Question answering over the graph: entity linking, tool routing, grounded explanations (``POST /ask``)."""
