"""EU AI Act (Regulation (EU) 2024/1689): classification by a decision tree kept as data, and the obligations."""
