"""2-D Ising model (J = 1, periodic L x L): Monte Carlo samples that are independent draws
from the Boltzmann distribution, with their independence measured, not assumed."""
