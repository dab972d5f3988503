"""The statistics of cluster sizes, on arrays only: numpy and scipy, no tables, no config.

- `powerlaw_fit`: the discrete power-law fit after Clauset, Shalizi & Newman (2009) and its
  bootstrap goodness of fit; `sequential`: the Monte Carlo p-values that stop once settled;
- `alternatives`: the rivals (lognormal, exponential, cutoff, stretched exponential) and
  Vuong's likelihood-ratio test; `occupancy`: the occupancy-aware law from k = 1;
- `tail_index`: Hill, moments and kernel estimators; `effect_sizes`: the tail's curvature;
- `ladder`: the evidence ladder after Broido & Clauset (2019) and its consensus over seeds;
- `relevance`: resolution H(Z) (and the continuous relaxation of the relevance bound);
- `frontier`: the exact maximal-relevance frontier over integer m(k), with a certificate;
- `sample`: the one check of a sample of sizes (exact integers in [1, 2^63 - 1]);
- `layer`: all of the above for one layer's sizes (`fit_layer` -> `LayerFit`, `evidence`).

The analysis jobs (`scaleinv.analysis`) and the library's `scaleinv.powerlaw.Fit` are thin
layers over it.

May import: the foundation only.
"""
