"""Corpus-wide work on whole articles: stories (``stories``), and the bulk copy engine
(``shingles``, on this machine or on Dask: ``dask_engine``) that finds copied claims across a large
corpus at once. Whether two claims are the same claim is never decided here: that is
``provdiff.claims``'s relation, which the copy engine asks.
"""
