"""2-D Ising model (J = 1, periodic L x L): Monte Carlo samples that are independent draws
from the Boltzmann distribution, with their independence measured, not assumed.

May import: the foundation only.
"""

import math

T_CRITICAL = 2 / math.log(1 + math.sqrt(2))  # Onsager (1944), J = k_B = 1: 2.269
