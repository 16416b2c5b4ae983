"""Stage ``report``: results to text (terminal, JSON). Returns strings; never prints."""
