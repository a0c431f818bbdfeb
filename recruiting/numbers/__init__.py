"""Virtual numbers (AXB, standard 5.1.5): the provider port and its implementations."""
